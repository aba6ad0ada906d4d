"""The API's parameters are declared once (``educational.registry.schemas`` and
``educational.api.schemas``): an empty value is refused first, whatever the endpoint; then
the first parameter at fault, in the order declared, is named, with a message that says what
to send instead. The registry's pages refuse the same values with the same messages."""

import pytest
from markupsafe import escape

from tests.builders.registry import Person, bearer

SCOPE = {"role": "auditor", "standard": "PS", "sector": "aluminium-smelting", "country": "NO"}


@pytest.mark.parametrize(
    ("path", "query", "field", "message"),
    [
        # An empty value, before anything else, on any endpoint.
        (
            "/api/v1/registry",
            {"role": "inspector", "page": ""},
            "page",
            "page is empty: give a value, or leave the parameter out.",
        ),
        (
            "/api/v1/registry/changes",
            {"limit": "0", "role": " "},
            "role",
            "role is empty: give a value, or leave the parameter out.",
        ),
        # Then in the order declared: the filters, then the page.
        ("/api/v1/registry", {"page": "0", "country": "XX", "role": "inspector"}, "role", None),
        (
            "/api/v1/registry",
            {"per_page": "101"},
            "per_page",
            "per_page can be at most 100.",
        ),
        (
            "/api/v1/eligible",
            {**SCOPE, "per_page": "0", "date": "yesterday"},
            "date",
            "“yesterday” is not a date; write it as YYYY-MM-DD, such as 2026-03-31.",
        ),
        (
            "/api/v1/eligibility",
            {"country": "XX", "sector": "x"},
            "registry_id",
            "Give the registry_id; it is required.",
        ),
        # The feed tells a cursor from a day once the limit is read.
        (
            "/api/v1/registry/changes",
            {"since": "abc", "limit": "0"},
            "limit",
            "limit must be a whole number from 1 to 500.",
        ),
        (
            "/api/v1/registry/changes",
            {"since": "abc"},
            "since",
            "“abc” is neither a cursor nor a date: send the next_cursor of the previous "
            "answer, or a date as YYYY-MM-DD.",
        ),
    ],
)
def test_the_first_parameter_at_fault_is_named(
    client, synced_courses, member_token, path, query, field, message
):
    response = client.get(path, query_string=query, headers=bearer(member_token))
    assert response.status_code == 400
    error = response.json["error"]
    assert (error["code"], error["field"]) == ("bad_request", field)
    if message:
        assert error["message"] == message


@pytest.mark.parametrize(
    "query",
    [{"country": "XX"}, {"role": "inspector"}, {"status": "sleeping"}, {"language": "xx"}],
)
def test_the_registry_page_refuses_a_filter_as_the_api_does(client, synced_courses, query):
    refused = client.get("/api/v1/registry", query_string=query).json["error"]
    page = client.get("/registry", query_string=query)
    assert page.status_code == 200
    assert str(escape(refused["message"])) in page.get_data(as_text=True)


def test_a_parameter_the_endpoint_does_not_take_is_ignored(client, synced_courses):
    response = client.get("/api/v1/registry", query_string={"entity": "x", "sort": "bogus"})
    assert response.status_code == 200


def test_the_shortlist_shows_the_first_page_for_a_wrong_page_number(client, auth, registry, member):
    registry.add(Person("Ingrid Berg"))
    auth.login(member.email)
    response = client.get("/members/eligible", query_string={**SCOPE, "page": "two"})
    assert response.status_code == 200
    assert "Ingrid Berg" in response.get_data(as_text=True)
