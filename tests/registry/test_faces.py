"""One engine, three faces: for each case (one check failing alone, or all passing), the API
(/api/v1/eligibility), the members' form, /api/v1/eligible and the members' shortlist
give the same answer."""

import re

import pytest

from tests.builders.registry import TODAY, Person, bearer, days
from tests.conftest import PASSWORD

QUESTION = {
    "role": "auditor",
    "standard": "PS",
    "sector": "aluminium-smelting",
    "country": "NO",
    "date": TODAY.isoformat(),
}

#: (case, person, question changes, the checks that fail)
CASES = [
    ("all pass", Person("Anna Pass"), {}, set()),
    (
        "expired",
        Person(
            "Erik Expired",
            status="expired",
            valid_from=days(-1200),
            valid_until=days(-5),
            changes=[("active", "expired", days(-4))],
        ),
        {},
        {"accreditation_active"},
    ),
    (
        "expired, not yet swept",
        Person("Edda Overdue", valid_from=days(-1200), valid_until=days(-1)),
        {},
        {"accreditation_active"},
    ),
    (
        "suspended",
        Person(
            "Sigrid Suspended", status="suspended", changes=[("active", "suspended", days(-10))]
        ),
        {},
        {"accreditation_active"},
    ),
    (
        "wrong standard",
        Person("Wei Wrongstandard", scopes=[("COC", "aluminium-smelting", "2")]),
        {},
        {"scope_standard", "standard_version_current", "scope_sector"},
    ),
    (
        "standard version lapsed after the transition",
        Person("Lars Lapsed", scopes=[("PS", "aluminium-smelting", "2")]),
        {},
        {"standard_version_current"},
    ),
    (
        "wrong sector",
        Person("Sofia Sector", scopes=[("PS", "casthouse", "3")]),
        {},
        {"scope_sector"},
    ),
    ("country not covered", Person("Camila Country", countries=["IS"]), {}, {"country"}),
    (
        "training expired",
        Person(
            "Tomas Training",
            courses=[("asi-auditor", days(-1200)), ("ps-v3-auditors", days(-100))],
        ),
        {},
        {"training_current"},
    ),
    (
        "conflict of interest",
        Person("Kofi Conflict", declarations=[("Sundvik Smelter", days(-400), None)]),
        {"entity": "Sundvik Smelter"},
        {"conflict_of_interest"},
    ),
]

CHECK_ROW = re.compile(
    r'data-check="(\w+)">\s*<th[^>]*>.*?</th>\s*<td><span class="badge (ok|bad)">', re.DOTALL
)

REASON_CELL = re.compile(
    r'data-check="(\w+)">\s*<th[^>]*>.*?</th>\s*<td>.*?</td>\s*<td>(.*?)</td>', re.DOTALL
)


def form_verdict(client, params) -> dict[str, bool]:
    page = client.get("/members/eligibility", query_string=params)
    assert page.status_code == 200
    return {code: badge == "ok" for code, badge in CHECK_ROW.findall(page.get_data(as_text=True))}


@pytest.mark.parametrize(("case", "person", "changes", "failing"), CASES, ids=[c[0] for c in CASES])
def test_api_form_and_shortlist_agree(
    app, client, registry, member, member_token, case, person, changes, failing
):
    registry_id = registry.add(person)
    decoy = registry.add(Person("Zara Decoy"))
    question = {**QUESTION, **changes}
    asked = {**question, "registry_id": registry_id}

    answer = client.get("/api/v1/eligibility", query_string=asked, headers=bearer(member_token))
    assert answer.status_code == 200, answer.json
    verdict = answer.json
    assert verdict["registry_id"] == registry_id
    assert verdict["as_of"] == TODAY.isoformat()
    assert {c["code"] for c in verdict["checks"] if not c["passed"]} == failing
    assert verdict["eligible"] is (not failing)

    client.post("/login", data={"email": member.email, "password": PASSWORD})
    on_form = form_verdict(client, asked)
    assert on_form == {c["code"]: c["passed"] for c in verdict["checks"]}
    # The form gives every check's reason in the reader's words (the API keeps its English
    # message): human names, no codes.
    page = client.get("/members/eligibility", query_string=asked).get_data(as_text=True)
    reasons = dict(REASON_CELL.findall(page))
    assert set(reasons) == {c["code"] for c in verdict["checks"]}
    for reason in reasons.values():
        assert reason.strip() and "aluminium-smelting" not in reason

    # The shortlist asks without an entity: a conflict with one entity is no bar in general.
    general = {key: value for key, value in question.items() if key != "entity"}
    in_general = client.get(
        "/api/v1/eligibility",
        query_string={**general, "registry_id": registry_id},
        headers=bearer(member_token),
    ).json["eligible"]
    found = client.get("/api/v1/eligible", query_string=general, headers=bearer(member_token))
    assert found.status_code == 200
    listed = [item["registry_id"] for item in found.json["items"]]
    assert (registry_id in listed) is in_general
    assert decoy in listed
    assert found.json["total"] == len(listed)
    shortlist = client.get("/members/eligible", query_string=general).get_data(as_text=True)
    assert (registry_id in shortlist) is in_general
    assert decoy in shortlist
    csv = client.get("/members/eligible.csv", query_string=general).get_data(as_text=True)
    assert (registry_id in csv) is in_general
