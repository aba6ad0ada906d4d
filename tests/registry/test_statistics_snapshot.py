"""Registry statistics are never computed on a request: pages read a stored snapshot, which
`flask registry statistics` (cron) and changes to the registry refresh (issue 10,
finding 5). The figures are SQL aggregates; the growth series is checked against a history
worked out by hand."""

import re

import pytest
from sqlalchemy import delete, func, select

from educational.accreditation.models import Accreditation
from educational.core.db import db, today, utcnow
from educational.registry import snapshot, statistics
from educational.registry.models import StatisticsSnapshot
from tests.builders.registry import Person, days
from tests.conftest import PASSWORD, csrf_token


@pytest.fixture
def computations(monkeypatch):
    """Counts every computation of the figures, wherever it is called from."""
    calls = []
    compute = statistics.compute_statistics

    def counted(*args, **kwargs):
        calls.append(args)
        return compute(*args, **kwargs)

    monkeypatch.setattr(statistics, "compute_statistics", counted)
    monkeypatch.setattr(snapshot, "compute_statistics", counted)
    return calls


def stored(app) -> StatisticsSnapshot | None:
    with app.app_context():
        found = db.session.get(StatisticsSnapshot, snapshot.SNAPSHOT_ID)
        if found is not None:
            db.session.expunge(found)
        return found


def forget_snapshot(app) -> None:
    with app.app_context():
        db.session.execute(delete(StatisticsSnapshot))
        db.session.commit()


def refresh(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["registry", "statistics", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_statistics_page_never_computes_and_shows_the_snapshot(app, client, registry, computations):
    registry.add(Person("Ingrid Berg", countries=["NO"]))
    registry.add(Person("Wang Wei", countries=["CN"]))
    forget_snapshot(app)
    computations.clear()
    page = client.get("/registry/statistics").get_data(as_text=True)
    assert "The statistics are being prepared" in page
    assert "computed" in refresh(app) and stored(app) is not None
    assert len(computations) == 1
    page = client.get("/registry/statistics").get_data(as_text=True)
    assert "2 people hold an active accreditation today." in page
    assert '<th scope="row">China</th><td>1</td>' in page
    # "as of" a time with its zone.
    assert re.search(r"Figures as of .*UTC", page)
    for _ in range(3):
        assert client.get("/registry/statistics").status_code == 200
    assert len(computations) == 1


def test_cron_refresh_does_nothing_when_nothing_changed(app, registry, computations):
    registry.add(Person("Ingrid Berg"))
    computations.clear()
    before = stored(app)
    assert "unchanged" in refresh(app)
    assert computations == []
    assert stored(app).computed_at == before.computed_at
    with app.app_context():
        # Changed behind the app's back, as a renewal would (no listener sees it): the
        # change marker does.
        db.session.execute(
            Accreditation.__table__.update().values(valid_until=days(-1), updated_at=utcnow())
        )
        db.session.commit()
    assert "computed" in refresh(app)
    assert stored(app).figures["people"] == 0
    assert "computed" in refresh(app, "--force")


@pytest.mark.csrf
def test_staff_decision_refreshes_the_snapshot(
    app, client, auth, registry, make_user, computations
):
    registry.add(Person("Ingrid Berg"))
    registry.add(Person("Wang Wei"))
    assert stored(app).figures["people"] == 2
    staff = make_user("staff")
    auth.login(staff.email, csrf=True)
    with app.app_context():
        accreditation_id = db.session.scalar(select(func.min(Accreditation.id)))
    page = f"/staff/accreditation/accreditations/{accreditation_id}"
    computations.clear()
    response = client.post(
        f"{page}/suspend",
        data={"csrf_token": csrf_token(client, page), "reason": "Complaint under review"},
    )
    assert response.status_code == 302
    assert len(computations) == 1
    assert stored(app).figures["people"] == 1
    auth.logout()
    anonymous = app.test_client()
    text = anonymous.get("/registry/statistics").get_data(as_text=True)
    assert "1 person holds an active accreditation today." in text
    assert len(computations) == 1


def test_growth_follows_the_status_history(app, registry):
    """Counted at each quarter's end from the history: not while suspended, not before the
    accreditation existed, not after its last valid day; today last."""
    as_of = today()
    ends = statistics.quarter_ends(as_of)
    suspended, reinstated = ends[-6], ends[-3]
    registry.add(
        Person(
            "Suspended Once",
            valid_from=ends[-10],
            changes=[
                ("active", "suspended", suspended),
                ("suspended", "active", reinstated),
            ],
        )
    )
    registry.add(Person("New Recently", valid_from=ends[-2]))
    registry.add(Person("Expired Lately", valid_from=ends[-12], valid_until=ends[-4]))
    registry.add(Person("Never Public", valid_from=ends[-12], public=False))
    with app.app_context():
        figures = statistics.compute_statistics(db.session, as_of)
    counts = dict(figures.growth)
    labels = [label for label, _n in figures.growth]

    def expected(day) -> int:
        suspended_once = ends[-10] <= day and not (suspended <= day < reinstated)
        new_recently = ends[-2] <= day
        expired_lately = ends[-12] <= day <= ends[-4]
        return suspended_once + new_recently + expired_lately

    for label, day in zip(labels, [*ends, as_of], strict=True):
        assert counts[label] == expected(day), label
    assert labels[-1] == "today" and counts["today"] == 2


def test_statistics_snapshot_keeps_consent(app, registry, make_user):
    registry.add(Person("Hidden Person", public=False, countries=["IS"]))
    registry.add(Person("Public Person", countries=["NO"]))
    figures = stored(app).figures
    assert figures["people"] == 1
    assert figures["by_country"] == [["NO", 1]]
    member = make_user("member")
    client = app.test_client()
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert "Iceland" not in client.get("/registry/statistics").get_data(as_text=True)


def test_statistics_show_an_approval_at_once(app, make_user, synced_courses, computations):
    """Issue 12: an approval is on the statistics page on the next visit, with no timer to
    wait for and no cron run: the approval's commit refreshed the snapshot."""
    from tests.builders.accreditation import apply, qualify

    visitor = app.test_client()
    before = visitor.get("/registry/statistics").get_data(as_text=True)
    assert "people hold an active accreditation" not in before
    learner, staff = make_user("learner"), make_user("staff")
    qualify(app, learner.id, staff.id)
    application_id = apply(app, learner.id)
    client = app.test_client()
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    computations.clear()
    url = f"/staff/accreditation/applications/{application_id}/decide"
    response = client.post(url, data={"decision": "approve", "reason": "Evidence complete."})
    assert response.status_code == 302
    assert len(computations) == 1
    after = visitor.get("/registry/statistics").get_data(as_text=True)
    assert "1 person holds an active accreditation today." in after
    assert '<th scope="row">Norway</th><td>1</td>' in after
    assert len(computations) == 1  # the page read it, computed nothing
