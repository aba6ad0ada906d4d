"""The rules an entry's fields must meet, checked by the service against the synced scheme;
a form that fails comes back filled in."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from educational.accounts.models import User
from educational.catalog.content.problems import Report
from educational.catalog.content.scheme import load_scheme
from educational.core.db import db
from educational.core.errors import DomainError
from educational.experience import services
from educational.experience.models import ExperienceEntry
from educational.experience.validation import clean_audit, qualification_kinds
from tests.builders.experience import audit_data, audit_form
from tests.builders.people import COURSES_DIR

TODAY = date(2026, 1, 15)


@pytest.fixture(scope="module")
def scheme():
    """courses/scheme.yml, read without a database."""
    problems = []
    source = load_scheme(COURSES_DIR, Report("scheme.yml", problems))
    assert problems == []
    return source.scheme


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": date(2024, 3, 3)}, "end_date", "on or after the start date"),
        ({"end_date": date(2026, 1, 16)}, "end_date", "once it has ended"),
        ({"onsite_days": -1.0}, "onsite_days", "cannot be negative"),
        ({"offsite_days": 0.3}, "offsite_days", "in halves"),
        ({"onsite_days": 0.0, "offsite_days": 0.0}, "onsite_days", "days you spent"),
        ({"onsite_days": 4.0, "offsite_days": 0.5}, "offsite_days", "more than the 4 calendar"),
        ({"audit_role": "boss"}, "audit_role", "role"),
        ({"team_size": 0}, "team_size", "team"),
        ({"standard": "ISO9001"}, "standard", "standard"),
        ({"standard": "COC", "standard_version": "3"}, "standard_version", "versions 1, 2"),
        (
            {
                "standard_version": "3",
                "end_date": date(2021, 6, 1),
                "start_date": date(2021, 6, 1),
                "onsite_days": 1.0,
                "offsite_days": 0.0,
            },
            "standard_version",
            "published on 2022-05-19",
        ),
        ({"sectors": []}, "sectors", "at least one sector"),
        ({"sectors": ["post-casthouse"]}, "sectors", "does not cover post-casthouse"),
        ({"sectors": ["steelmaking"]}, "sectors", "does not cover steelmaking"),
        ({"country": "XX"}, "country", "country"),
        ({"country": ""}, "country", "country"),
        ({"entity": "  "}, "entity", "Name the audited"),
        ({"audit_type": "friendly"}, "audit_type", "type of audit"),
        ({"reference_contact": "call me"}, "reference_contact", "telephone number"),
        ({"reference_contact": "someone@"}, "reference_contact", "not valid"),
    ],
)
def test_audit_rules(app, scheme, overrides, field, message):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        clean_audit(audit_data(**overrides), scheme, TODAY)
    assert refused.value.field == field
    assert message in refused.value.message


def test_a_valid_audit_is_normalised(app, scheme):
    with app.test_request_context():
        values = clean_audit(
            audit_data(
                standard="COC",
                standard_version="2",
                sectors=["post-casthouse", "casthouse"],
                country="de",
                entity="  Rheinwerk  ",
                onsite_days=3.5,
                offsite_days=0.5,
            ),
            scheme,
            TODAY,
        )
    # Sectors in the scheme's order, country upper case, text trimmed.
    assert values["sectors"] == ["casthouse", "post-casthouse"]
    assert values["country"] == "DE"
    assert values["entity"] == "Rheinwerk"


def test_audits_need_the_scheme(app):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        clean_audit(audit_data(), None, TODAY)
    assert "sync the courses" in refused.value.message


def test_other_kinds_are_checked_too(app, make_user, synced_courses):
    owner = make_user("learner")
    cases = [
        (
            "work",
            {
                "employer": "Alu AG",
                "position": "EHS manager",
                "sector": "mining",
                "country": "DE",
                "start_date": date(2020, 1, 1),
                "end_date": None,
                "specialist_areas": [],
            },
            "sector",
        ),
        (
            "work",
            {
                "employer": "Alu AG",
                "position": "EHS manager",
                "sector": None,
                "country": "DE",
                "start_date": date(2020, 1, 1),
                "end_date": None,
                "specialist_areas": ["astrology"],
            },
            "specialist_areas",
        ),
        (
            "work",
            {
                "employer": "Alu AG",
                "position": "EHS",
                "sector": None,
                "country": "DE",
                "start_date": date(2020, 1, 1),
                "end_date": date(2019, 1, 1),
                "specialist_areas": [],
            },
            "end_date",
        ),
        (
            "qualification",
            {
                "title": "Lead auditor",
                "issuer": "IRCA",
                "qualification_kind": "wizard",
                "obtained_on": date(2020, 1, 1),
                "expires_on": None,
            },
            "qualification_kind",
        ),
        (
            "qualification",
            {
                "title": "Lead auditor",
                "issuer": "IRCA",
                "qualification_kind": "management-system-auditor",
                "obtained_on": date(2020, 1, 1),
                "expires_on": date(2019, 1, 1),
            },
            "expires_on",
        ),
        ("language", {"language": "xx", "proficiency": "B2"}, "language"),
        ("language", {"language": "fr", "proficiency": "D9"}, "proficiency"),
        (
            "conflict",
            {
                "entity": "Alu AG",
                "nature": "friendship",
                "start_date": date(2020, 1, 1),
                "end_date": None,
            },
            "nature",
        ),
    ]
    with app.test_request_context():
        user = db.session.get(User, owner.id)
        for kind, data, field in cases:
            with pytest.raises(DomainError) as refused:
                services.create_entry(user, kind, data, today=TODAY)
            assert refused.value.field == field, (kind, data)


def test_a_language_is_listed_once(app, make_user):
    owner = make_user("learner")
    with app.test_request_context():
        user = db.session.get(User, owner.id)
        services.create_entry(user, "language", {"language": "fr", "proficiency": "B2"})
        with pytest.raises(DomainError) as refused:
            services.create_entry(user, "language", {"language": "fr", "proficiency": "C1"})
    assert refused.value.field == "language"


def test_qualification_kinds_come_from_the_scheme(scheme):
    assert qualification_kinds(scheme) == ("management-system-auditor", "other")
    assert qualification_kinds(None) == ("management-system-auditor", "other")


def test_a_refused_form_comes_back_filled_in(app, client, auth, make_user, synced_courses):
    user = make_user("learner")
    auth.login(user.email)
    response = client.post(
        "/experience/new/audit",
        data={**audit_form(end_date="2024-03-01"), "action": "submit"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in page
    assert 'value="Rheinwerk Aluminium GmbH"' in page
    assert 'value="2024-03-01"' in page
    assert 'value="m.lehmann@cb.example.org"' in page
    assert "Stage 2 audit." in page
    assert re.search(r'<input checked[^>]*value="aluminium-smelting"', page)
    assert not re.search(r'<input checked[^>]*value="bauxite-mining"', page)
    assert '<option selected value="PS">' in page or 'value="PS" selected' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExperienceEntry)) == 0


def test_the_forms_render_for_every_kind(client, auth, make_user, synced_courses):
    user = make_user("learner")
    auth.login(user.email)
    for kind in ("audit", "work", "qualification", "language", "conflict"):
        response = client.get(f"/experience/new/{kind}")
        assert response.status_code == 200, kind
        assert 'enctype="multipart/form-data"' in response.get_data(as_text=True)
    assert client.get("/experience/new/holiday").status_code == 404
