"""The country picker through the test client (CSRF on): check boxes named like the field, so
a form posts several countries as before; a form that fails comes back with them ticked, and
first in the list."""

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from educational.accreditation.models import Application
from educational.core.db import db
from tests.builders.people import logged_in, post

pytestmark = pytest.mark.csrf

NEW = "/accreditation/applications/new"


class Boxes(HTMLParser):
    """The country check boxes of a page, in order: (value, checked)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.boxes: list[tuple[str, bool]] = []
        self.selects: list[dict] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "input" and found.get("type") == "checkbox" and found["name"] == "countries":
            self.boxes.append((found["value"], "checked" in found))
        if tag == "select":
            self.selects.append(found)

    @property
    def checked(self) -> list[str]:
        return [value for value, checked in self.boxes if checked]


@pytest.fixture
def learner_client(app, make_user, synced_courses):
    return logged_in(app, make_user("learner"))


def test_the_picker_is_a_list_of_check_boxes_not_a_multiple_select(learner_client):
    page = learner_client.get(NEW).get_data(as_text=True)
    found = Boxes(page)
    assert len(found.boxes) > 240 and found.checked == []
    assert not [s for s in found.selects if "multiple" in s]
    assert "data-country-picker" in page and "js/countries.js" in page
    # The tools are hidden until the script shows them; the list works without it.
    assert 'class="country-picker-tools" data-picker-tools hidden' in page


def test_the_list_is_in_the_readers_collation_order(learner_client):
    post(learner_client, "/language", {"language": "fr"}, form_url=NEW)
    page = learner_client.get(NEW).get_data(as_text=True)
    values = [value for value, _checked in Boxes(page).boxes]
    # Égypte (EG) among the E, before Espagne (ES) and Fidji (FJ), not after Zimbabwe.
    assert values.index("DK") < values.index("EG") < values.index("ES") < values.index("FJ")
    assert values[-1] == "ZW"


def test_several_countries_are_saved(app, learner_client):
    response = post(
        learner_client,
        NEW,
        {"role": "auditor", "countries": ["NO", "FR", "CI"], "statement": "", "action": "save"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Application.countries)).one() == ["NO", "FR", "CI"]


def test_a_failing_form_keeps_the_chosen_countries_ticked_and_first(app, learner_client):
    response = post(
        learner_client,
        NEW,
        {
            "role": "auditor",
            "countries": ["NO", "FR", "CI"],
            "statement": "x" * 5001,
            "action": "submit",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Field cannot be longer than 5000 characters." in page
    found = Boxes(page)
    assert sorted(found.checked) == ["CI", "FR", "NO"]
    # The chosen come first, in the list's (collation) order: Côte d'Ivoire, France, Norway.
    assert found.boxes[:4] == [("CI", True), ("FR", True), ("NO", True), ("AF", False)]
    with app.app_context():
        assert db.session.scalars(select(Application)).all() == []


def test_an_unknown_country_is_refused_and_the_others_stay_ticked(app, learner_client):
    response = post(
        learner_client,
        NEW,
        {"role": "auditor", "countries": ["NO", "ZZ"], "statement": "", "action": "save"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "&#39;ZZ&#39; is not a valid choice" in page or "'ZZ' is not a valid choice" in page
    assert 'id="countries-error"' in page
    assert Boxes(page).checked == ["NO"]
    with app.app_context():
        assert db.session.scalars(select(Application)).all() == []


def test_the_checklist_form_ticks_the_countries_of_its_query(learner_client):
    page = learner_client.get("/accreditation/?role=auditor&countries=NO&countries=DE")
    assert sorted(Boxes(page.get_data(as_text=True)).checked) == ["DE", "NO"]
