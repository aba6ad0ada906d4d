"""Finding 14, in form fields: odd numbers (``numbers.ODD_NUMBERS`` and generated ones)

- in every field of every form of the app, on every POST endpoint of the URL map, as the
  roles the endpoint lets in;
- in each field read as a number (the quiz's ``position`` and ordering ranks, a review's
  ``revision``, an override's extra time and attempts, an audit's team size and days),
  beside valid values of the other fields, so that the number is really read.

Never a 500. These requests change the world (they save answers, decide, create entries):
the module has a world of its own, and nothing here depends on what changed."""

import re

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from educational.core.db import db

from .helpers import methods_of
from .numbers import MOST_TELLING, ODD_NUMBERS, callers, each_value_everywhere, values_by_parameter
from .world import AUDIT_QUIZ

SETTINGS = settings(
    derandomize=True,
    max_examples=4,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
#: A module quiz with an ordering question (its ranks are numbers), besides the world's.
ORDERING_QUIZ = (AUDIT_QUIZ[0], "05-harmonisation-scope")
FIELD_NAME = re.compile(r'name="([^"]+)"')


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_fields() -> set[str]:
    """The name of every field of every form of the app."""
    return {
        name
        for form in _subclasses(FlaskForm)
        for name in dir(form)
        if hasattr(getattr(form, name), "field_class")
    }


@pytest.fixture(scope="module")
def attempt(world) -> tuple[int, list[str], list[str]]:
    """An open attempt of the learner on a quiz with an ordering question: its id, the
    fields of its page, and those that take a rank (a number) with the question's position."""
    from educational.quizzes.models import Attempt

    learner = world.browser("learner")
    slug, name = ORDERING_QUIZ
    response = learner.post(f"/courses/{slug}/quizzes/{name}/start")
    attempt_id = int(re.search(r"/attempts/(\d+)$", response.headers["Location"]).group(1))
    page = learner.get(f"/attempts/{attempt_id}").text
    fields = sorted(set(FIELD_NAME.findall(page)) - {"csrf_token"})
    with world.app.app_context():
        slot = next(
            slot
            for slot in db.session.get(Attempt, attempt_id).slots
            if slot.question.type == "ordering"
        )
        ranks = [f"q{slot.position}.{item}" for item in slot.layout["items"]]
    assert set(ranks) <= set(fields)
    return attempt_id, fields, ranks


class Callers:
    def __init__(self, world) -> None:
        self.world = world
        self.clients = {}

    def post(self, who, url: str, data: dict):
        if who not in self.clients:
            self.clients[who] = self.world.browser(who).client
        response = self.clients[who].post(url, data=data)
        response.close()
        return response


def post_endpoints(world) -> list[tuple[str, list]]:
    """(URL on the world's objects, the callers it lets in) of every POST endpoint but
    log-out (which would end the session the rest needs)."""
    found = []
    for rule in world.app.url_map.iter_rules():
        if "POST" not in methods_of(rule) or rule.endpoint == "accounts.logout":
            continue
        found.append((world.url(rule), callers(world.app.view_functions[rule.endpoint].access)))
    return found


def server_errors(where: str, response) -> list[str]:
    return [f"{where}: {response.status_code}"] if response.status_code >= 500 else []


@SETTINGS
@each_value_everywhere(MOST_TELLING)
@given(values=values_by_parameter, turn=st.integers(0, 4))
def test_odd_values_in_every_field_of_every_form(world, attempt, values, turn):
    attempt_id, attempt_fields, _ranks = attempt
    names = form_fields() | set(attempt_fields)
    data = {name: values.get(name, values["id"]) for name in names}
    posts = Callers(world)
    failures = []
    endpoints = post_endpoints(world)
    for index, (url, who) in enumerate(endpoints):
        caller = who[(index + turn) % len(who)]
        response = posts.post(caller, url, data)
        failures += server_errors(f"{caller} POST {url} {values!r:.200}", response)
    response = posts.post("learner", f"/attempts/{attempt_id}/save", data)
    failures += server_errors(f"learner POST /attempts/{attempt_id}/save", response)
    assert failures == [], "\n".join(failures)
    assert len(endpoints) > 30


def number_fields(world, attempt_id: int, ranks: list[str]) -> list[tuple[str, str, dict, list]]:
    """(URL, caller, valid values of the other fields, the fields read as numbers)."""
    ids, users = world.ids, world.users
    position = ranks[0].split(".")[0].removeprefix("q")
    audit = {
        "start_date": "2024-03-04",
        "end_date": "2024-03-07",
        "audit_role": "lead",
        "standard": "PS",
        "standard_version": "3",
        "sectors": "aluminium-smelting",
        "country": "NO",
        "entity": "An entity",
        "audit_type": "certification",
        "reference_name": "A reference",
        "reference_contact": "reference@example.org",
        "onsite_days": "2",
        "offsite_days": "1",
        "team_size": "2",
    }
    return [
        (f"/attempts/{attempt_id}/answer", "learner", {}, ["position"]),
        (f"/attempts/{attempt_id}/answer", "learner", {"position": position}, ranks),
        (f"/attempts/{attempt_id}/save", "learner", {}, ranks),
        (
            f"/staff/experience/{ids['entry_work']}/decide",
            "staff",
            {"decision": "request_info", "comment": "Which years?"},
            ["revision"],
        ),
        (
            f"/staff/quizzes/{ids['quiz']}/overrides",
            "staff",
            {"email": users["learner"].email, "reason": "An accommodation"},
            ["extra_minutes", "extra_attempts"],
        ),
        ("/experience/new/audit", "learner", audit, ["team_size", "onsite_days", "offsite_days"]),
    ]


@SETTINGS
@each_value_everywhere(ODD_NUMBERS)
@given(values=values_by_parameter, turn=st.just(0))
def test_odd_numbers_in_each_field_read_as_a_number(world, attempt, values, turn):
    attempt_id, _fields, ranks = attempt
    posts = Callers(world)
    failures = []
    for url, who, valid, fields in number_fields(world, attempt_id, ranks):
        for field in fields:
            value = values.get(field, values["id"])
            response = posts.post(who, url, {**valid, field: value})
            failures += server_errors(f"{who} POST {url} {field}={value!r:.60}", response)
    assert failures == [], "\n".join(failures)
