"""Finding 14: a 500 on ``²`` or a 5,000-digit string in ``position``, ``expiring`` or
``revision``. Odd numbers (``numbers.ODD_NUMBERS`` and generated ones) go

- to a generic set of query parameters on every GET endpoint of the URL map, as the roles
  the endpoint lets in (anonymous, learner, member, staff, admin; the API also with a
  member's token);
- to each parameter an endpoint is known to read (the list of test_sql_injection), one at
  a time beside valid values of the others, so that a 400 for one does not hide a 500 for
  the next;
- into every integer segment of every route.

Never a 500. Nothing here changes the world (form fields: test_odd_numbers_in_forms)."""

import re
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from educational.core.params import MAX_ID

from .helpers import methods_of, rule_arguments, url_for_rule
from .numbers import (
    MOST_TELLING,
    ODD_NUMBERS,
    callers,
    each_value_everywhere,
    values_by_parameter,
)
from .test_sql_injection import parameters

#: Every example runs tens to hundreds of requests: few generated ones beside the explicit.
SETTINGS = settings(
    derandomize=True,
    max_examples=4,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
#: A stand-in id, replaced in the built URL by the odd text (url_for takes only integers).
STAND_IN = 987654321


class Clients:
    """One logged-in client per world user, and one that sends the member's API token."""

    def __init__(self, world) -> None:
        self.world = world
        self.clients = {}

    def get(self, who, url: str, query: dict):
        if who not in self.clients:
            self.clients[who] = self.world.browser(None if who == "token" else who).client
        headers = {}
        if who == "token":
            headers["Authorization"] = f"Bearer {self.world.token_secret}"
        response = self.clients[who].get(url, query_string=query, headers=headers)
        response.get_data()  # streamed answers (CSV) run now
        response.close()
        return response


def get_endpoints(world) -> list[tuple[str, list]]:
    """(URL on the world's objects, the callers it lets in) of every GET endpoint."""
    found = []
    for rule in world.app.url_map.iter_rules():
        if "GET" not in methods_of(rule) or rule.endpoint == "static":
            continue
        url = world.url(rule)
        who = callers(world.app.view_functions[rule.endpoint].access)
        found.append((url, [*who, "token"] if url.startswith("/api/") else who))
    return found


def server_errors(where: str, response) -> list[str]:
    return [f"{where}: {response.status_code}"] if response.status_code >= 500 else []


@SETTINGS
@each_value_everywhere(MOST_TELLING)
@given(values=values_by_parameter, turn=st.integers(0, 4))
def test_odd_numbers_in_every_query_parameter_of_every_page(world, values, turn):
    clients = Clients(world)
    failures = []
    endpoints = get_endpoints(world)
    for index, (url, who) in enumerate(endpoints):
        # One caller per endpoint and example, in turn: every role over the examples.
        caller = who[(index + turn) % len(who)]
        response = clients.get(caller, url, values)
        failures += server_errors(f"{caller} GET {url} {values!r:.200}", response)
    assert failures == [], "\n".join(failures)
    assert len(endpoints) > 60


@SETTINGS
@each_value_everywhere(ODD_NUMBERS)
@given(values=values_by_parameter, turn=st.just(0))
def test_odd_numbers_in_each_parameter_an_endpoint_reads(world, values, turn):
    clients = Clients(world)
    failures = []
    for path, who, valid, names in parameters(world):
        for name in names:
            value = values.get(name, values["id"])
            response = clients.get(who, path, {**valid, name: value})
            failures += server_errors(f"{who} GET {path} {name}={value!r:.60}", response)
    assert failures == [], "\n".join(failures)


@SETTINGS
@each_value_everywhere(ODD_NUMBERS)
@given(values=values_by_parameter, turn=st.just(0))
def test_odd_numbers_in_every_integer_segment_of_every_route(world, values, turn):
    """Only ASCII digits within the database's integers name an object; any other text in
    an id's place is "not found"."""
    clients = Clients(world)
    failures = []
    odd = values["id"]
    if not odd or "/" in odd:
        return  # the URL would name another route (or none)
    names_nothing = not re.fullmatch(r"[0-9]{1,10}", odd) or int(odd) > MAX_ID
    for rule in world.app.url_map.iter_rules():
        if "GET" not in methods_of(rule):
            continue
        integers = [name for name, kind in rule_arguments(rule).items() if kind == "integer"]
        for name in integers:
            url = url_for_rule(world.app, rule, {**world.url_values(rule), name: STAND_IN})
            url = url.replace(str(STAND_IN), quote(odd, safe=""))
            for who in ("learner", "admin"):
                response = clients.get(who, url, {})
                failures += server_errors(f"{who} GET {url:.120}", response)
                if names_nothing and response.status_code != 404:
                    failures.append(f"{who} GET {url:.120}: {response.status_code}, not 404")
    assert failures == [], "\n".join(failures)
