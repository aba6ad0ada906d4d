"""The members' eligibility form gives each check's reason in the reader's language with
human names, while the API keeps its English messages (its contract)."""

from tests.builders.registry import TODAY, Person, bearer, days
from tests.conftest import PASSWORD

QUESTION = {
    "role": "auditor",
    "standard": "PS",
    "sector": "aluminium-smelting",
    "country": "NO",
    "date": TODAY.isoformat(),
    "entity": "Sundvik Smelter",
}


def test_the_form_speaks_the_readers_language_and_the_api_stays_english(
    client, registry, member, member_token
):
    registry_id = registry.add(
        Person("Kofi Conflict", declarations=[("Sundvik Smelter", days(-500), days(-90))])
    )
    asked = {**QUESTION, "registry_id": registry_id}

    client.post("/login", data={"email": member.email, "password": PASSWORD})
    page = client.get("/members/eligibility", query_string=asked).get_data(as_text=True)
    assert "The accreditation covers Performance Standard." in page
    assert "The Performance Standard scope covers Aluminium smelting." in page
    assert "The accreditation covers Norway." in page
    assert "A link with Sundvik Smelter is declared: a conflict of interest since" in page

    client.post("/language", data={"language": "fr"})
    page = client.get("/members/eligibility", query_string=asked).get_data(as_text=True)
    assert "Norme de performance" in page and "Électrolyse de l&#39;aluminium" in page
    assert "Norvège" in page

    answer = client.get("/api/v1/eligibility", query_string=asked, headers=bearer(member_token))
    messages = {check["code"]: check["message"] for check in answer.json["checks"]}
    assert messages["country"] == "The accreditation covers NO."
    assert messages["scope_sector"] == "The PS scope covers aluminium-smelting."
