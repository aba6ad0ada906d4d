"""Finding 16 of issue 10: the conflict check tells a member only that a declared link with
the entity exists in the window, never its kind (consulting, employment) or its dates."""

from tests.builders.registry import TODAY, Person, bearer, days
from tests.conftest import PASSWORD

START, END = days(-500), days(-90)
QUESTION = {
    "role": "auditor",
    "standard": "PS",
    "sector": "aluminium-smelting",
    "country": "NO",
    "date": TODAY.isoformat(),
    "entity": "sundvik  SMELTER",
}


def test_member_api_conflict_message_names_neither_kind_nor_dates(client, registry, member_token):
    registry_id = registry.add(
        Person("Kofi Conflict", declarations=[("Sundvik Smelter", START, END)])
    )
    answer = client.get(
        "/api/v1/eligibility",
        query_string={**QUESTION, "registry_id": registry_id},
        headers=bearer(member_token),
    )
    assert answer.status_code == 200, answer.json
    (check,) = [c for c in answer.json["checks"] if c["code"] == "conflict_of_interest"]
    assert check["passed"] is False
    message = check["message"]
    assert "declared a link with sundvik smelter" in message.lower()
    for secret in ("consulting", "employment", START.isoformat(), END.isoformat()):
        assert secret not in message, message
    # Nothing else in the answer gives the declaration away either.
    body = answer.get_data(as_text=True)
    for secret in ("consulting", START.isoformat(), END.isoformat()):
        assert secret not in body


def test_members_form_conflict_message_names_neither_kind_nor_dates(client, registry, member):
    registry_id = registry.add(
        Person("Kofi Conflict", declarations=[("Sundvik Smelter", START, END)])
    )
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    page = client.get(
        "/members/eligibility", query_string={**QUESTION, "registry_id": registry_id}
    ).get_data(as_text=True)
    assert 'data-check="conflict_of_interest"' in page
    for secret in ("consulting", START.isoformat(), END.isoformat()):
        assert secret not in page
