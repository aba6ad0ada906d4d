"""The transaction boundary (core/transaction.py) through the test client, on views made for
the test: one commit per unsafe request, a rollback on any exception, refusals shown on the
form, flashed, or answered in JSON, and a GET that writes caught."""

import pytest
from flask import Blueprint, render_template_string, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from educational.accounts.forms import OrganisationForm
from educational.accounts.models import Organisation
from educational.core import transaction
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.permissions import public
from educational.core.transaction import GetWroteError, flash_errors, form_errors, json_errors

FORM_PAGE = (
    "{% for m in get_flashed_messages() %}<p>{{ m }}</p>{% endfor %}"
    '<form method="post"><input name="name" value="{{ form.name.data or \'\' }}">'
    "{% for e in form.name.errors %}<span>{{ e }}</span>{% endfor %}</form>"
)


def _add(name: str) -> None:
    db.session.add(Organisation(name=name, membership_class="producer"))
    db.session.flush()


def _routes() -> Blueprint:
    bp = Blueprint("tx", __name__)

    @bp.post("/tx/add/<name>")
    @public
    def add(name: str):
        _add(name)
        return "added"

    @bp.post("/tx/add-at-commit/<name>")
    @public
    def add_at_commit(name: str):
        # Flushed by the commit after the view, where a broken constraint then shows.
        db.session.add(Organisation(name=name, membership_class="producer"))
        return "added"

    @bp.post("/tx/fail")
    @public
    def fail():
        _add("Lost Ltd")
        raise RuntimeError("a bug")

    @bp.post("/tx/refuse")
    @public
    def refuse():
        _add("Refused Ltd")
        raise DomainError("Choose another name, then try again.")

    @bp.route("/tx/form", methods=["GET", "POST"])
    @public
    def form():
        form = OrganisationForm()  # an app's form: the XSS test lists every form class
        if form.is_submitted():
            with form_errors(form):
                _add(form.name.data)
                raise DomainError("That name is taken; choose another.", field="name")
        return render_template_string(FORM_PAGE, form=form)

    @bp.post("/tx/flash")
    @public
    def flashed():
        with flash_errors(url_for("catalog.index")):
            _add("Flashed Ltd")
            raise DomainError("Not now: try again tomorrow.")
        return "not reached"

    @bp.post("/tx/json")
    @public
    def json():
        with json_errors("not_saved"):
            _add("Json Ltd")
            raise DomainError("That question is not part of this attempt.")
        return "not reached"

    @bp.post("/api/v1/tx/refuse")
    @public
    def api_refuse():
        _add("Api Ltd")
        raise DomainError("The holder is suspended.", field="holder")

    @bp.get("/tx/write")
    @public
    def get_that_writes():
        _add("Written Ltd")
        return "wrote"

    @bp.get("/tx/pending")
    @public
    def get_that_adds():
        db.session.add(Organisation(name="Pending Ltd", membership_class="producer"))
        return "added, never flushed"

    return bp


@pytest.fixture
def tx_app(app):
    app.register_blueprint(_routes())
    transaction.init_app(app)  # wraps the views added after create_app
    return app


def stored(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Organisation.name).order_by(Organisation.name)))


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_a_post_that_returns_is_committed(tx_app):
    client = tx_app.test_client()
    assert client.post("/tx/add/Kept Ltd").status_code == 200
    assert stored(tx_app) == ["Kept Ltd"]


def raised(caplog) -> list[type]:
    """The exceptions the error handler logged (it answers them with the 500 page)."""
    return [record.exc_info[0] for record in caplog.records if record.exc_info]


def test_an_exception_rolls_the_post_back(tx_app, caplog):
    client = tx_app.test_client()
    assert client.post("/tx/fail").status_code == 500
    assert raised(caplog) == [RuntimeError]
    assert stored(tx_app) == []


def test_a_commit_that_fails_is_rolled_back_and_the_next_request_works(tx_app, caplog):
    client = tx_app.test_client()
    client.post("/tx/add/Twice Ltd")
    assert client.post("/tx/add-at-commit/Twice Ltd").status_code == 500
    assert raised(caplog) == [IntegrityError]
    assert client.post("/tx/add/Other Ltd").status_code == 200
    assert stored(tx_app) == ["Other Ltd", "Twice Ltd"]


def test_a_refusal_is_rolled_back_flashed_and_sent_back_to_the_referring_page(tx_app):
    client = tx_app.test_client()
    response = client.post("/tx/refuse", headers={"Referer": "http://localhost/courses?x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses?x=1"
    assert flashes(client) == [("error", "Choose another name, then try again.")]
    assert stored(tx_app) == []


@pytest.mark.parametrize(
    "referrer", [None, "http://evil.example/courses", "http://localhost//evil.example/x"]
)
def test_a_refusal_from_elsewhere_or_nowhere_goes_to_the_home_page(tx_app, referrer):
    client = tx_app.test_client()
    headers = {"Referer": referrer} if referrer else {}
    response = client.post("/tx/refuse", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert stored(tx_app) == []


def test_form_errors_shows_the_refusal_on_the_field_and_keeps_what_was_typed(tx_app):
    client = tx_app.test_client()
    response = client.post("/tx/form", data={"name": "Typed Ltd"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<span>That name is taken; choose another.</span>" in page
    assert 'value="Typed Ltd"' in page
    assert stored(tx_app) == []


def test_flash_errors_rolls_back_flashes_and_goes_to_its_page(tx_app):
    client = tx_app.test_client()
    response = client.post("/tx/flash", headers={"Referer": "http://localhost/tx/form"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses"
    assert flashes(client) == [("error", "Not now: try again tomorrow.")]
    assert stored(tx_app) == []


def test_json_errors_answers_the_error_envelope(tx_app):
    client = tx_app.test_client()
    response = client.post("/tx/json")
    assert response.status_code == 409
    assert response.get_json() == {
        "error": {"code": "not_saved", "message": "That question is not part of this attempt."}
    }
    assert stored(tx_app) == []


def test_an_api_refusal_answers_json_409(tx_app):
    client = tx_app.test_client()
    response = client.post("/api/v1/tx/refuse")
    assert response.status_code == 409
    assert response.get_json() == {
        "error": {"code": "refused", "message": "The holder is suspended.", "field": "holder"}
    }
    assert flashes(client) == []
    assert stored(tx_app) == []


@pytest.mark.parametrize("url", ["/tx/write", "/tx/pending"])
def test_a_get_that_writes_fails_in_testing_and_keeps_nothing(tx_app, caplog, url):
    client = tx_app.test_client()
    assert client.get(url).status_code == 500
    assert raised(caplog) == [GetWroteError]
    assert stored(tx_app) == []


def test_a_get_that_writes_is_rolled_back_quietly_in_production(tx_app):
    tx_app.config["ENV"] = "production"
    client = tx_app.test_client()
    assert client.get("/tx/write").status_code == 200
    assert stored(tx_app) == []
