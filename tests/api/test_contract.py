"""The JSON API v1 contract of DESIGN.md: names, shapes, status codes and the error
envelope, for every endpoint and every documented error."""

import pytest

from tests.builders.registry import TODAY, Person, bearer, days
from tests.conftest import PASSWORD

ENTRY_KEYS = {"registry_id", "name", "countries", "languages", "firms", "accreditations", "url"}
ACCREDITATION_KEYS = {
    "role",
    "status",
    "valid_from",
    "valid_until",
    "scopes",
    "countries",
    "specialist_areas",
}
SCOPE = {"role": "auditor", "standard": "PS", "sector": "aluminium-smelting", "country": "NO"}


def assert_error(response, status: int, code: str, field: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["code"] == code
    assert error["message"].strip()
    if field is None:
        assert "field" not in error
    else:
        assert error["field"] == field


@pytest.fixture
def people(registry):
    return {
        "ingrid": registry.add(
            Person(
                "Ingrid Berg",
                countries=["NO", "IS"],
                languages=["no", "en"],
                firms=["Fjord Assurance AS"],
                scopes=[("PS", "aluminium-smelting", "3"), ("COC", "casthouse", "2")],
            )
        ),
        "wang": registry.add(Person("Wang Wei", countries=["CN"], languages=["zh"])),
        "lead": registry.add(Person("Ana Silva", role="lead_auditor", countries=["BR", "NO"])),
        "suspended": registry.add(
            Person(
                "Olav Suspendert",
                status="suspended",
                changes=[("active", "suspended", days(-3))],
            )
        ),
    }


def test_registry_search_shape_and_order(client, people):
    response = client.get("/api/v1/registry")
    assert response.status_code == 200
    page = response.json
    assert set(page) == {"items", "total", "page", "per_page"}
    assert (page["total"], page["page"], page["per_page"]) == (3, 1, 20)
    names = [item["name"] for item in page["items"]]
    assert names == sorted(names)
    ingrid = next(item for item in page["items"] if item["registry_id"] == people["ingrid"])
    assert set(ingrid) == ENTRY_KEYS
    assert ingrid["countries"] == ["IS", "NO"]
    assert ingrid["languages"] == ["en", "no"]
    assert ingrid["firms"] == ["Fjord Assurance AS"]
    assert ingrid["url"].endswith(f"/registry/{people['ingrid']}")
    (accreditation,) = ingrid["accreditations"]
    assert set(accreditation) == ACCREDITATION_KEYS
    assert accreditation["status"] == "active"
    assert accreditation["valid_from"] == days(-200).isoformat()
    assert {"standard": "COC", "version": "2", "sector": "casthouse"} in accreditation["scopes"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "ingrid"}, ["ingrid"]),
        ({"q": "BERG"}, ["ingrid"]),
        ({"country": "CN"}, ["wang"]),
        ({"country": "NO", "standard": "COC"}, ["ingrid"]),
        ({"standard": "COC", "sector": "aluminium-smelting"}, []),
        ({"language": "zh"}, ["wang"]),
        ({"role": "lead_auditor"}, ["lead"]),
        ({"role": "auditor", "country": "BR"}, ["lead"]),
        ({"status": "suspended"}, ["suspended"]),
        ({"status": "any", "q": "Olav"}, ["suspended"]),
        ({"status": "withdrawn"}, []),
    ],
)
def test_registry_filters(client, people, query, expected):
    response = client.get("/api/v1/registry", query_string=query)
    assert response.status_code == 200
    assert [item["registry_id"] for item in response.json["items"]] == [
        people[name] for name in expected
    ]
    assert response.json["total"] == len(expected)


def test_registry_search_by_registry_id(client, people):
    found = client.get("/api/v1/registry", query_string={"q": people["wang"].lower()}).json
    assert [item["registry_id"] for item in found["items"]] == [people["wang"]]


def test_registry_pages(client, people):
    first = client.get("/api/v1/registry?per_page=2").json
    second = client.get("/api/v1/registry?per_page=2&page=2").json
    beyond = client.get("/api/v1/registry?per_page=2&page=99999999999999999999999").json
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert first["total"] == second["total"] == beyond["total"] == 3
    assert beyond["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"standard": "ISO9001"}, "standard"),
        ({"sector": "steelmaking"}, "sector"),
        ({"country": "XX"}, "country"),
        ({"country": "no"}, "country"),
        ({"country": "NOR"}, "country"),
        ({"language": "xx"}, "language"),
        ({"role": "inspector"}, "role"),
        ({"status": "sleeping"}, "status"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
    ],
)
def test_registry_bad_parameters(client, query, field):
    assert_error(client.get("/api/v1/registry", query_string=query), 400, "bad_request", field)


def test_registry_entry(client, people):
    response = client.get(f"/api/v1/registry/{people['ingrid']}")
    assert response.status_code == 200
    assert set(response.json) == ENTRY_KEYS
    assert response.json["registry_id"] == people["ingrid"]
    # Suspended people stay visible, with their status.
    suspended = client.get(f"/api/v1/registry/{people['suspended']}").json
    assert suspended["accreditations"][0]["status"] == "suspended"


def test_registry_entry_unknown(client):
    assert_error(client.get("/api/v1/registry/ASI-999999"), 404, "not_found", "registry_id")


# Eligibility


def asked(registry_id, **changes):
    return {**SCOPE, "registry_id": registry_id} | changes


def test_eligibility_shape(client, people, member_token):
    response = client.get(
        "/api/v1/eligibility", query_string=asked(people["ingrid"]), headers=bearer(member_token)
    )
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"registry_id", "eligible", "as_of", "checks"}
    assert body["eligible"] is True
    assert body["as_of"] == TODAY.isoformat()
    assert [c["code"] for c in body["checks"]] == [
        "accreditation_active",
        "scope_standard",
        "standard_version_current",
        "scope_sector",
        "country",
        "training_current",
    ]
    assert all(set(c) == {"code", "passed", "message"} for c in body["checks"])
    with_entity = client.get(
        "/api/v1/eligibility",
        query_string=asked(people["ingrid"], entity="Anyone AS", date="2026-01-31"),
        headers=bearer(member_token),
    ).json
    assert with_entity["checks"][-1]["code"] == "conflict_of_interest"
    assert with_entity["as_of"] == "2026-01-31"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"registry_id": ""}, "registry_id"),
        ({"role": ""}, "role"),
        ({"standard": "XYZ"}, "standard"),
        ({"sector": "nowhere"}, "sector"),
        ({"country": "ZZ"}, "country"),
        ({"country": ""}, "country"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "31/01/2026"}, "date"),
        ({"date": "2026-1-5"}, "date"),
    ],
)
def test_eligibility_bad_parameters(client, people, member_token, changes, field):
    response = client.get(
        "/api/v1/eligibility",
        query_string={**asked(people["ingrid"]), **changes},
        headers=bearer(member_token),
    )
    assert_error(response, 400, "bad_request", field)


def test_eligibility_unknown_registry_id(client, member_token, synced_courses):
    response = client.get(
        "/api/v1/eligibility", query_string=asked("ASI-424242"), headers=bearer(member_token)
    )
    assert_error(response, 404, "not_found", "registry_id")


def test_eligible_shape_and_pages(client, people, member_token):
    response = client.get("/api/v1/eligible", query_string=SCOPE, headers=bearer(member_token))
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"items", "total", "page", "per_page"}
    # Ingrid, and Ana whose lead auditor accreditation includes auditor; not the suspended.
    assert [item["registry_id"] for item in body["items"]] == [people["lead"], people["ingrid"]]
    assert all(set(item) == ENTRY_KEYS for item in body["items"])
    second = client.get(
        "/api/v1/eligible",
        query_string={**SCOPE, "per_page": 1, "page": 2},
        headers=bearer(member_token),
    ).json
    assert [item["registry_id"] for item in second["items"]] == [people["ingrid"]]
    assert second["total"] == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": "chief"}, "role"),
        ({"standard": "ISO"}, "standard"),
        ({"sector": "x"}, "sector"),
        ({"country": "Norway"}, "country"),
        ({"date": "yesterday"}, "date"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
    ],
)
def test_eligible_bad_parameters(client, member_token, synced_courses, changes, field):
    response = client.get(
        "/api/v1/eligible", query_string={**SCOPE, **changes}, headers=bearer(member_token)
    )
    assert_error(response, 400, "bad_request", field)


# Authentication


@pytest.mark.parametrize("path", ["/api/v1/eligibility", "/api/v1/eligible"])
def test_members_endpoints_need_a_member(client, make_user, synced_courses, path):
    response = client.get(path, query_string=SCOPE)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    learner = make_user("learner")
    client.post("/login", data={"email": learner.email, "password": PASSWORD})
    assert_error(client.get(path, query_string=SCOPE), 403, "forbidden")


def test_signed_in_member_may_use_the_api_from_the_browser(client, member, people):
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    response = client.get("/api/v1/eligibility", query_string=asked(people["ingrid"]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer edu_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "edu_without_scheme"],
)
@pytest.mark.parametrize("path", ["/api/v1/registry", "/api/v1/eligibility"])
def test_bad_token_is_401_everywhere(client, synced_courses, header, path):
    response = client.get(path, headers={"Authorization": header})
    assert_error(response, 401, "invalid_token")


def test_token_of_a_former_member_stops_working(app, client, member, member_token, people):
    from educational.accounts.models import User
    from educational.core.db import db

    assert client.get("/api/v1/registry", headers=bearer(member_token)).status_code == 200
    with app.app_context():
        db.session.get(User, member.id).role = "learner"
        db.session.commit()
    assert_error(client.get("/api/v1/registry", headers=bearer(member_token)), 401, "invalid_token")


# Rate limits


@pytest.mark.app_config(API_RATE_ANONYMOUS="3 per minute", API_RATE_MEMBER="5 per minute")
def test_rate_limits_per_address_and_per_token(client, member_token, synced_courses):
    for _ in range(3):
        assert client.get("/api/v1/registry").status_code == 200
    limited = client.get("/api/v1/registry")
    assert_error(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) > 0
    assert "3 per minute" in limited.json["error"]["message"]
    # A member's token has its own, higher limit.
    for _ in range(5):
        assert client.get("/api/v1/registry", headers=bearer(member_token)).status_code == 200
    assert_error(client.get("/api/v1/registry", headers=bearer(member_token)), 429, "rate_limited")
    # Another address is not affected.
    other = client.get("/api/v1/registry", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    assert other.headers["X-RateLimit-Limit"] == "3"


# Everything else


def test_unknown_path_and_method_get_the_envelope(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.post("/api/v1/registry"), 405, "method_not_allowed")


def test_certificates_endpoint_still_answers(client, synced_courses):
    assert_error(client.get("/api/v1/certificates/K7QM-3XDT-9PWA-H2NC-8R4E"), 404, "not_found")


# CSRF: tests/security/test_csrf.py asserts that the API blueprint is the only exemption and
# only reads (every other method is 405), and that every state-changing request without a
# token (the API tokens page's create and revoke among them) is refused with 400 and changes
# nothing.


def test_specialists_are_found_for_any_standard_and_sector(client, registry, member_token):
    specialist = registry.add(
        Person(
            "Aroha Ngata",
            role="specialist",
            scopes=[],
            specialist_areas=["indigenous-peoples-fpic"],
            courses=[("asi-specialist", days(-100))],
        )
    )
    registry.add(Person("Not A Specialist"))
    query = {**SCOPE, "role": "specialist", "sector": "bauxite-mining"}
    found = client.get("/api/v1/eligible", query_string=query, headers=bearer(member_token)).json
    assert [item["registry_id"] for item in found["items"]] == [specialist]
    entry = found["items"][0]["accreditations"][0]
    assert entry["specialist_areas"] == ["indigenous-peoples-fpic"] and entry["scopes"] == []
