"""Catalogue, enrolment, reading progress and staff progress, through the test client."""

import csv
import io
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

from educational.catalog.models import Course, Enrolment, ModuleProgress
from educational.core.db import db
from tests.conftest import csrf_token

COURSES = Path(__file__).parents[2] / "courses"
SLUG = "asi-specialist"


@pytest.fixture
def synced(app, synced_courses):
    """The names of the specialist course's modules, once the curriculum is synced."""
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        return [m.name for m in course.live_modules]


def test_catalogue_is_public_and_lists_courses_with_facts(app, client, synced):
    page = client.get("/courses").get_data(as_text=True)
    assert "ASI Auditor Course" in page
    assert "Registered Specialist course" in page
    assert "EN, FR" in page
    page = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert "Log in to enrol" in page
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SLUG))
        titles = [m.title for m in course.live_modules]
    assert all(str(escape(title)) in page for title in titles)


@pytest.mark.csrf
def test_learner_enrols_reads_every_module_and_sees_progress(app, client, auth, make_user, synced):
    user = make_user()
    auth.login(user.email, csrf=True)
    token = csrf_token(client, f"/courses/{SLUG}")
    response = client.post(f"/courses/{SLUG}/enrol", data={"csrf_token": token})
    assert response.headers["Location"].endswith(f"/courses/{SLUG}/modules/{synced[0]}")

    for index, name in enumerate(synced):
        url = f"/courses/{SLUG}/modules/{name}"
        page = client.get(url).get_data(as_text=True)
        assert f"Module {index + 1} of {len(synced)}" in page
        response = client.post(f"{url}/read", data={"csrf_token": csrf_token(client, url)})
        assert response.status_code == 302
        if index + 1 < len(synced):
            assert response.headers["Location"].endswith(synced[index + 1])
            dashboard = client.get("/dashboard").get_data(as_text=True)
            assert f"{index + 1} of {len(synced)} modules read" in dashboard
            assert f"/modules/{synced[index + 1]}" in dashboard
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f"{len(synced)} of {len(synced)} modules read" in dashboard
    # The course has a final exam, so reading alone does not complete it.
    with app.app_context():
        assert db.session.scalar(select(Enrolment)).completed_at is None


def test_continue_where_you_left_off(client, auth, make_user, synced):
    auth.login(make_user().email)
    client.post(f"/courses/{SLUG}/enrol")
    client.post(f"/courses/{SLUG}/modules/{synced[1]}/read")
    page = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert "Continue where you left off" in page
    assert f'href="/courses/{SLUG}/modules/{synced[2]}"' in page


def test_enrolling_twice_keeps_one_enrolment(app, client, auth, make_user, synced):
    auth.login(make_user().email)
    client.post(f"/courses/{SLUG}/enrol")
    client.post(f"/courses/{SLUG}/enrol")
    with app.app_context():
        assert db.session.query(Enrolment).count() == 1


def test_modules_need_an_enrolment(app, client, auth, make_user, synced):
    auth.login(make_user().email)
    response = client.get(f"/courses/{SLUG}/modules/{synced[0]}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/{SLUG}")
    assert client.post(f"/courses/{SLUG}/modules/{synced[0]}/read").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(ModuleProgress)).all() == []
        assert db.session.scalars(select(Enrolment)).all() == []
    assert client.get(f"/courses/{SLUG}/modules/no-such-module").status_code == 404


def test_content_language_with_fallback_notice(app, tmp_path, client, auth, make_user):
    import shutil

    root = tmp_path / "content"
    shutil.copytree(COURSES, root)
    missing = next((root / SLUG).glob("02-*.fr.md"))
    missing.unlink()
    assert app.test_cli_runner().invoke(args=["courses", "sync", str(root)]).exit_code == 0
    auth.login(make_user().email)
    client.post(f"/courses/{SLUG}/enrol")
    client.post(f"/courses/{SLUG}/language", data={"language": "fr"})
    first = client.get(f"/courses/{SLUG}/modules/{missing.name[:-6].replace('02', '01', 1)}")
    assert first.status_code in (200, 404)
    english_name = missing.name.removesuffix(".fr.md")
    page = client.get(f"/courses/{SLUG}/modules/{english_name}").get_data(as_text=True)
    assert "not yet translated into your chosen language" in page
    modules = sorted(p.name.removesuffix(".fr.md") for p in (root / SLUG).glob("*.fr.md"))
    page = client.get(f"/courses/{SLUG}/modules/{modules[0]}").get_data(as_text=True)
    assert "not yet translated" not in page
    assert 'lang="fr"' in page
    # A language the course does not offer is refused with the list of those it does.
    response = client.post(
        f"/courses/{SLUG}/language", data={"language": "zh"}, follow_redirects=True
    )
    assert "This course is available in: en, fr." in response.get_data(as_text=True)


def test_staff_see_progress_and_export_csv(client, auth, make_user, synced):
    learner = make_user(name="=HYPERLINK(evil)")
    auth.login(learner.email)
    client.post(f"/courses/{SLUG}/enrol")
    client.post(f"/courses/{SLUG}/modules/{synced[0]}/read")
    auth.logout()

    auth.login(make_user("staff").email)
    page = client.get(f"/staff/courses/{SLUG}/progress").get_data(as_text=True)
    assert learner.email in page
    assert f"1 / {len(synced)}" in page
    response = client.get(f"/staff/courses/{SLUG}/progress?format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["email"] == learner.email
    assert rows[0]["name"] == "'=HYPERLINK(evil)"
    assert (rows[0]["modules_read"], rows[0]["modules_total"]) == ("1", str(len(synced)))


@pytest.mark.parametrize("url", [f"/staff/courses/{SLUG}/progress", "/staff/courses"])
def test_learners_and_members_cannot_see_staff_progress(client, auth, make_user, synced, url):
    for role in ("learner", "member"):
        auth.login(make_user(role).email)
        assert client.get(url).status_code == 403
        assert client.get(url + "?format=csv").status_code == 403
        auth.logout()
