"""The OpenAPI document: valid OpenAPI 3.1, complete, and true. schemathesis fuzzes every
operation against it (valid and invalid requests, a member's token sent): no 5xx, every
status and body as documented, invalid input refused with 4xx, valid input accepted."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode

from tests.builders.registry import TODAY, Person, bearer, days

#: Examples per operation and mode: enough to reach every parameter, small enough to keep
#: the suite fast (6 operations x 2 modes).
MAX_EXAMPLES = 30


def test_document_is_valid_openapi_3_1(client, synced_courses):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document)
    roles = next(
        p for p in document["paths"]["/registry"]["get"]["parameters"] if p["name"] == "role"
    )
    assert roles["schema"]["enum"] == ["auditor", "lead_auditor", "specialist"]


def test_document_is_valid_before_the_scheme_is_synced(client):
    validate(client.get("/api/v1/openapi.json").json)


def test_every_api_route_is_documented(app, client, synced_courses):
    documented = set(client.get("/api/v1/openapi.json").json["paths"])
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert routes == documented


def test_every_error_status_is_documented(client, synced_courses):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, item in paths.items():
        for method, described in item.items():
            responses = described["responses"]
            success = {"get": "200", "post": "201", "delete": "204"}[method]
            assert {success, "429"} <= set(responses), (path, method)
            for status, response in responses.items():
                if status != success:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)


@pytest.fixture
def populated(registry):
    registry.add(
        Person(
            "Ingrid Berg",
            registry_id="ASI-000001",
            firms=["Fjord Assurance AS"],
            declarations=[("Sundvik Smelter", days(-100), None)],
        )
    )
    registry.add(
        Person(
            "Wang Wei",
            registry_id="ASI-000002",
            countries=["CN"],
            status="suspended",
            changes=[("active", "suspended", days(-2))],
        )
    )
    registry.add(Person("Ana Silva", registry_id="ASI-000003", public=False))


def can_be_wrong(operation) -> bool:
    """Whether a request can break the operation's document. A certificate code is read
    however it is typed, so any code is well formed (an unknown one is a 404)."""
    parameters = operation.definition.raw.get("parameters", [])
    return any(p["in"] == "query" or "pattern" in p["schema"] for p in parameters)


@pytest.mark.app_config(RATELIMIT_ENABLED=False)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzz_the_api_against_its_document(app, populated, member_token, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = bearer(member_token)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but the document itself, which schemathesis leaves out.
    assert len(operations) == 9
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not can_be_wrong(operation):
            continue

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            as_of = (case.query or {}).get("as_of")
            if mode == GenerationMode.POSITIVE and as_of and str(as_of) > TODAY.isoformat():
                # A future as_of is refused (400, as its description says): a limit that
                # JSON Schema cannot state for a date.
                case.query["as_of"] = TODAY.isoformat()
            case.call_and_validate(headers=headers)

        try:
            check()
        except Exception as error:
            raise AssertionError(operation.label) from error
