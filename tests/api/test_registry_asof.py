"""``GET /api/v1/registry/{registry_id}?as_of=YYYY-MM-DD``: the entry on a past day, in the
API's shapes and error envelope, documented in the OpenAPI document."""

import pytest

from tests.api.test_contract import ACCREDITATION_KEYS, ENTRY_KEYS, assert_error
from tests.builders.registry import Person, days


@pytest.fixture
def olav(registry):
    return registry.add(
        Person(
            "Olav Suspendert",
            status="suspended",
            valid_from=days(-200),
            valid_until=days(500),
            languages=["no"],
            scopes=[
                ("PS", "aluminium-smelting", "3"),
                ("PS", "casthouse", "2", "lapsed", days(-20)),
            ],
            changes=[("active", "suspended", days(-3))],
        )
    )


def entry(client, registry_id, as_of):
    return client.get(f"/api/v1/registry/{registry_id}?as_of={as_of}")


def test_as_of_a_day_before_the_suspension(client, olav):
    response = entry(client, olav, days(-30).isoformat())
    assert response.status_code == 200
    body = response.json
    assert set(body) == ENTRY_KEYS
    (accreditation,) = body["accreditations"]
    assert set(accreditation) == ACCREDITATION_KEYS
    assert accreditation["status"] == "active"
    assert accreditation["valid_from"] == days(-200).isoformat()
    assert accreditation["valid_until"] == days(500).isoformat()
    # The casthouse scope lapsed 20 days ago: active 30 days ago.
    assert {s["sector"] for s in accreditation["scopes"]} == {"aluminium-smelting", "casthouse"}
    # Languages verified later (the builder verifies them today) were not shown then.
    assert body["languages"] == []
    on_the_day = entry(client, olav, days(-3).isoformat()).json
    assert on_the_day["accreditations"][0]["status"] == "suspended"
    assert {s["sector"] for s in on_the_day["accreditations"][0]["scopes"]} == {
        "aluminium-smelting"
    }
    # Today's entry is unchanged.
    assert client.get(f"/api/v1/registry/{olav}").json["accreditations"][0]["status"] == (
        "suspended"
    )


def test_before_the_first_accreditation_accreditations_are_empty(client, olav):
    body = entry(client, olav, days(-201).isoformat()).json
    assert body["accreditations"] == []
    assert body["registry_id"] == olav


def test_a_future_day_is_400_in_the_envelope(client, olav):
    response = entry(client, olav, days(1).isoformat())
    assert_error(response, 400, "bad_request", "as_of")
    assert "future" in response.json["error"]["message"]


@pytest.mark.parametrize("as_of", ["2026-02-30", "06/12/2026", "today", ""])
def test_a_malformed_day_is_400_naming_as_of(client, olav, as_of):
    response = entry(client, olav, as_of)
    assert_error(response, 400, "bad_request", "as_of")


def test_a_hidden_person_is_404_on_any_day(client, registry):
    hidden = registry.add(Person("Hidden Person", public=False))
    assert_error(entry(client, hidden, days(-5).isoformat()), 404, "not_found", "registry_id")


def test_the_openapi_document_lists_as_of(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/registry/{registry_id}"]["get"]
    (as_of,) = [p for p in operation["parameters"] if p["name"] == "as_of"]
    assert as_of["in"] == "query"
    assert as_of["schema"]["format"] == "date"
    assert "400" in operation["responses"]
