"""The registry CSV streams from the database in batches and shows what the registry shows;
the anonymous CSV and pages have rate limits; the staff exports stream too (issue 10,
finding 5). The figures on 100,000 people are in benchmarks/registry_csv.py."""

import csv
import io

import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation, RegistryProfile
from educational.core.db import db, today
from educational.registry import csvexport
from educational.registry.entries import load_entries
from tests.builders.csv_oracle import entry_row
from tests.builders.registry import Person, days
from tests.conftest import PASSWORD
from tests.registry.test_pages import rows_of


@pytest.fixture
def crowd(registry):
    """Seven people in three batches of two (and one hidden): histories, lapsed scopes,
    two roles, firms, languages and a cell a spreadsheet would run."""
    ids = [
        registry.add(
            Person(
                "Ingrid Berg",
                countries=["NO", "IS"],
                languages=["no", "en"],
                firms=["Fjord Assurance AS", "Aker Audit"],
                scopes=[
                    ("PS", "aluminium-smelting", "3"),
                    ("PS", "casthouse", "2", "lapsed", days(-30)),
                ],
            )
        ),
        registry.add(Person("Wang Wei", countries=["CN"], languages=["zh", "en"])),
        registry.add(
            Person(
                "Olav Suspendert",
                status="suspended",
                changes=[("active", "suspended", days(-3))],
            )
        ),
        registry.add(Person("Old Expired", valid_until=days(-1))),
        registry.add(Person('=HYPERLINK("http://x")', countries=["BR"])),
        registry.add(Person("Ana Lima", role="specialist", scopes=[], countries=["BR", "PT"])),
        registry.add(Person("Zoe Second Role", countries=["DE"])),
        registry.add(Person("Hidden Person", public=False)),
    ]
    with registry.app.app_context():
        # A second role for the last public person.
        profile_id = db.session.scalar(
            select(RegistryProfile.id).where(RegistryProfile.registry_id == ids[6])
        )
        db.session.add(
            Accreditation(
                profile_id=profile_id,
                role="lead_auditor",
                valid_from=days(-10),
                valid_until=days(700),
                countries=["AT"],
            )
        )
        db.session.commit()
    return ids


def status(client, url: str) -> int:
    """The status of a GET, its body read to the end (as a browser would)."""
    response = client.get(url)
    response.get_data()
    return response.status_code


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(csvexport, "CHUNK", 2)


def expected_rows(app, registry_ids) -> list[list[str]]:
    """The CSV rows built from the registry's own entries (what the pages and API show)."""
    rows = []
    with app.test_request_context():
        profile_ids = db.session.scalars(
            select(RegistryProfile.id).where(RegistryProfile.registry_id.in_(registry_ids))
        ).all()
        for entry in load_entries(profile_ids, today()):
            rows.append(entry_row(entry))
    return rows


def test_registry_csv_streams_every_public_person_once_in_batches(
    app, client, crowd, small_batches
):
    response = client.get("/registry.csv?status=any", buffered=False)
    assert response.status_code == 200
    assert response.is_streamed
    chunks = [chunk.decode() for chunk in response.response]
    response.close()
    # The header, then one chunk per batch of two people: 7 public people, 4 batches.
    assert len(chunks) == 1 + 4
    rows = list(csv.reader(io.StringIO("".join(chunks))))
    assert tuple(rows[0]) == csvexport.REGISTRY_COLUMNS
    registry_ids = [row[0] for row in rows[1:]]
    assert sorted(registry_ids) == sorted(crowd[:7])
    assert crowd[7] not in registry_ids
    by_id = {row[0]: row for row in rows[1:]}
    expected_by_entries = expected_rows(app, crowd)
    assert len(expected_by_entries) == 7
    for row in expected_by_entries:
        expected = [cell if not cell.startswith("=") else "'" + cell for cell in row]
        assert by_id[row[0]] == expected


def test_registry_csv_keeps_the_order_and_filters_of_the_search(client, crowd, small_batches):
    def ids(query: str) -> list[str]:
        text = client.get(f"/registry.csv?{query}").get_data(as_text=True)
        return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]

    by_name = ids("status=any")
    # In the order of the search page (names, as the database collates them).
    assert by_name == rows_of(client.get("/registry?status=any").get_data(as_text=True))
    assert len(by_name) == 7
    assert ids("status=any&sort=registry_id") == sorted(by_name)
    assert ids("country=BR") == [crowd[4], crowd[5]]
    assert ids("status=expired") == [crowd[3]]


def test_registry_csv_cells_of_the_people_it_shows(client, crowd):
    text = client.get("/registry.csv?status=any").get_data(as_text=True)
    rows = {row["registry_id"]: row for row in csv.DictReader(io.StringIO(text))}
    ingrid = rows[crowd[0]]
    assert ingrid["scopes"] == "PS v3 aluminium-smelting"
    assert ingrid["countries"] == "IS NO"
    assert ingrid["languages"] == "en no"
    assert ingrid["firms"] == "Aker Audit; Fjord Assurance AS"
    assert rows[crowd[3]]["accreditations"].startswith("auditor (expired, ")
    # A suspended accreditation's scopes are not shown as held.
    assert rows[crowd[2]]["scopes"] == ""
    assert rows[crowd[6]]["countries"] == "AT DE"
    assert rows[crowd[6]]["accreditations"].count(";") == 1
    assert rows[crowd[4]]["name"] == '\'=HYPERLINK("http://x")'


@pytest.mark.app_config(REGISTRY_CSV_LIMIT="2 per minute")
def test_anonymous_registry_csv_gets_429_past_its_limit(app, client, crowd, make_user):
    assert status(client, "/registry.csv") == 200
    assert status(client, "/registry.csv?country=NO") == 200
    refused = client.get("/registry.csv")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "Too many requests" in refused.get_data(as_text=True)
    # A signed-in account has a budget of its own, as limited.
    member = make_user("member")
    other = app.test_client()
    other.post("/login", data={"email": member.email, "password": PASSWORD})
    assert [status(other, "/registry.csv") for _ in range(3)] == [200, 200, 429]


@pytest.mark.app_config(REGISTRY_PAGE_LIMIT="3 per minute")
def test_anonymous_registry_pages_share_a_limit(app, client, crowd, make_user):
    pages = ["/registry", f"/registry/{crowd[0]}", "/registry/firms"]
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    assert client.get("/registry/statistics").status_code == 429
    # Signed-in people work in these pages all day: no limit for them.
    member = make_user("member")
    other = app.test_client()
    other.post("/login", data={"email": member.email, "password": PASSWORD})
    assert {other.get("/registry").status_code for _ in range(5)} == {200}


def test_staff_exports_stream(client, auth, make_user, crowd):
    staff = make_user("staff")
    auth.login(staff.email)
    for url in (
        "/staff/accreditation/accreditations.csv",
        "/staff/accreditation/applications.csv",
    ):
        response = client.get(url, buffered=False)
        assert response.status_code == 200
        assert response.is_streamed
        response.get_data()
        response.close()
    text = client.get("/staff/accreditation/accreditations.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 9
    assert {row["registry_id"] for row in rows} == set(crowd)
