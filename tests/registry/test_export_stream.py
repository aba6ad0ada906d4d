"""The CSV exports stream (issue 15): the registry CSV, the members' shortlist and the
staff's accreditations and applications. Each streamed body is byte for byte what the same
export built at once (not streamed) gives, the headers are the download's, the permissions
and CSRF rules are those of any GET, and the generator writes nothing while it streams."""

import csv
import gc
import io

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from educational.accreditation import exports, queues
from educational.accreditation.models import Accreditation
from educational.core.db import db, today
from educational.core.export import csv_line
from educational.registry import csvexport
from educational.registry.schemas import RegistrySearch, load
from tests.builders.csv_oracle import registry_csv_before
from tests.builders.registry import Person, days

QUESTION = {"role": "auditor", "standard": "PS", "sector": "aluminium-smelting", "country": "NO"}
STAFF_EXPORTS = ("/staff/accreditation/accreditations.csv", "/staff/accreditation/applications.csv")


@pytest.fixture
def people(registry):
    return [
        registry.add(
            Person(
                "Ingrid Berg",
                countries=["NO", "IS"],
                languages=["no", "en"],
                firms=["Fjord Assurance AS"],
                scopes=[
                    ("PS", "aluminium-smelting", "3"),
                    ("PS", "casthouse", "2", "lapsed", days(-30)),
                ],
            )
        ),
        registry.add(Person("Åse Ødegård", countries=["NO"], languages=["no"])),
        registry.add(
            Person(
                "Olav Suspendert", status="suspended", changes=[("active", "suspended", days(-3))]
            )
        ),
        registry.add(Person("+Formula Person", countries=["NO"])),
        registry.add(Person("Hidden Person", public=False)),
    ]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two, so that a small registry streams in several chunks."""
    monkeypatch.setattr(csvexport, "CHUNK", 2)
    monkeypatch.setattr(exports, "BATCH", 2)


@pytest.fixture
def no_writes():
    """Every flush with something to write, while the fixture is active."""
    flushed = []

    def note(session, _context, _instances):
        if session.new or session.dirty or session.deleted:
            flushed.append(True)

    event.listen(Session, "before_flush", note)
    yield flushed
    event.remove(Session, "before_flush", note)


def streamed(client, url: str, **kwargs) -> tuple[object, bytes]:
    """The response, unbuffered, and its body read chunk by chunk as a socket would."""
    response = client.get(url, buffered=False, **kwargs)
    assert response.status_code == 200, url
    assert response.is_streamed
    body = b"".join(response.response)
    response.close()
    return response, body


def assert_download(response, filename: str) -> None:
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.headers["Cache-Control"] == "private, no-store"


def at_once_registry(app) -> bytes:
    """The registry CSV built in one piece, as the export did before it streamed."""
    with app.test_request_context():
        query = load(RegistrySearch(), {"status": "any"})
        return "".join(registry_csv_before(query, None, today())).encode()


def test_registry_csv_streams_the_same_bytes_as_built_at_once(
    app, client, people, small_batches, no_writes
):
    response, body = streamed(client, "/registry.csv?status=any")
    assert_download(response, f"registry-{today().isoformat()}.csv")
    assert body == at_once_registry(app)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert len(rows) == 1 + 4 and people[4] not in body.decode()
    assert "'+Formula Person" in body.decode()
    assert no_writes == []


def test_staff_accreditations_csv_is_the_same_as_built_at_once(
    app, client, auth, make_user, people, small_batches, no_writes
):
    staff = make_user("staff")
    auth.login(staff.email)
    no_writes.clear()  # the log-in wrote; the export must not
    response, body = streamed(client, STAFF_EXPORTS[0])
    assert_download(response, f"accreditations-{today().isoformat()}.csv")
    with app.test_request_context():
        every = db.session.scalars(queues.accreditation_query()).all()
        at_once = csv_line(exports.ACCREDITATION_HEADER) + "".join(
            csv_line(
                [
                    a.profile.registry_id,
                    a.profile.user.name,
                    a.profile.user.email,
                    a.role,
                    a.status,
                    a.valid_from,
                    a.valid_until,
                    " ".join(
                        f"{s.standard}/{s.sector}/v{s.version}"
                        for s in a.scopes
                        if s.status == "active"
                    ),
                    " ".join(
                        f"{s.standard}/{s.sector}/v{s.version}"
                        for s in a.scopes
                        if s.status == "lapsed"
                    ),
                    " ".join(a.countries or ()),
                    " ".join(a.specialist_areas or ()),
                    a.profile.public,
                ]
            )
            for a in every
        )
    assert body == at_once.encode()
    # Every holder, the hidden one too (staff see everyone), in three batches of two.
    assert len(every) == 5
    assert no_writes == []


def test_staff_applications_csv_streams_with_its_headers(client, auth, make_user, people):
    staff = make_user("staff")
    auth.login(staff.email)
    response, body = streamed(client, STAFF_EXPORTS[1])
    assert_download(response, f"applications-{today().isoformat()}.csv")
    assert body.decode().splitlines()[0] == ",".join(exports.APPLICATION_HEADER)


def test_shortlist_csv_streams_what_the_page_lists(app, client, auth, member, people, no_writes):
    auth.login(member.email)
    no_writes.clear()  # the log-in wrote; the export must not
    response, body = streamed(client, "/members/eligible.csv", query_string=QUESTION)
    name = "eligible-auditor-PS-aluminium-smelting-NO.csv"
    assert_download(response, name)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    page = client.get("/members/eligible", query_string=QUESTION).get_data(as_text=True)
    assert rows and all(row["registry_id"] in page for row in rows)
    assert people[2] not in body.decode()  # suspended
    assert people[4] not in body.decode()  # not public
    with app.app_context():
        until = db.session.scalar(
            select(Accreditation.valid_until).order_by(Accreditation.id).limit(1)
        )
    assert {row["valid_until"] for row in rows} == {until.isoformat()}
    assert no_writes == []


@pytest.mark.parametrize("url", STAFF_EXPORTS)
def test_staff_exports_keep_their_permissions(client, auth, make_user, people, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    learner = make_user("learner")
    auth.login(learner.email)
    assert client.get(url).status_code == 403
    auth.logout()
    member = make_user("member")
    auth.login(member.email)
    assert client.get(url).status_code == 403


def test_shortlist_csv_is_for_members_only(client, auth, make_user, people):
    anonymous = client.get("/members/eligible.csv", query_string=QUESTION)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    learner = make_user("learner")
    auth.login(learner.email)
    assert client.get("/members/eligible.csv", query_string=QUESTION).status_code == 403


@pytest.mark.csrf
@pytest.mark.parametrize("url", ["/registry.csv", "/members/eligible.csv", *STAFF_EXPORTS])
def test_exports_are_gets_that_need_no_token_and_refuse_a_post(
    client, auth, make_user, people, url
):
    staff = make_user("staff")
    auth.login(staff.email, csrf=True)
    # A GET needs no CSRF token (it changes nothing); a POST is not an export.
    response = client.get(url, query_string=QUESTION if "eligible" in url else None)
    assert response.status_code == 200
    assert client.post(url, data={}).status_code == 405


def test_a_download_whose_body_a_test_never_reads_leaves_nothing_to_close_later(
    app, client, people, small_batches
):
    # A test looking only at the status: the client still reads the body, as a browser
    # would, so the stream's clean-up runs now, in its own request. (Unread, the response
    # lives until the cycle collector finds it when something refers to it in a cycle, as
    # a failed assertion's traceback or a fuzzing library's record does.)
    response = client.get("/registry.csv?status=any")
    assert response.status_code == 200
    cycle = [response]
    cycle.append(cycle)
    del response, cycle
    with app.test_request_context():
        gc.collect()  # an unread stream found now would pop this context and its connection
        assert db.session.scalar(select(Accreditation.id).limit(1)) is not None
