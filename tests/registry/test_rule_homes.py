"""Two rules whose old copies disagreed, now with one home each: roles without scopes in the
registry search, and the current affiliation on the staff and public firm pages."""

import re

from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation import firms
from educational.accreditation.models import AuditFirm, FirmAffiliation
from educational.core.db import db
from tests.builders.registry import Person, days


def test_registry_lists_specialists_under_any_standard_and_sector(client, registry):
    """A specialist (``scoped: false``) passes eligibility's scope checks for any standard
    and sector; the registry search now lists them there too (it listed nobody)."""
    registry.add(
        Person(
            "Aroha Ngata",
            role="specialist",
            scopes=[],
            specialist_areas=["human-rights"],
            courses=[("asi-specialist", days(-100))],
        )
    )
    registry.add(Person("Lars Smelter"))  # PS, aluminium smelting
    page = client.get("/registry?standard=PS&sector=bauxite-mining").get_data(as_text=True)
    assert "Aroha Ngata" in page and "Lars Smelter" not in page
    page = client.get("/registry?role=specialist&standard=COC").get_data(as_text=True)
    assert "Aroha Ngata" in page
    page = client.get("/registry?role=auditor&standard=PS").get_data(as_text=True)
    assert "Lars Smelter" in page and "Aroha Ngata" not in page


def test_a_person_detached_with_a_later_last_day_stays_attached_until_then(
    app, client, auth, registry, make_user
):
    """The staff firm page counted a person as attached only until a last day was set; the
    registry counted them up to that day. Both now read ``FirmAffiliation.current_on``."""
    registry.add(Person("Ingrid Berg", firms=["Fjord Assurance AS"]))
    staff = make_user("staff")
    with app.app_context():
        affiliation = db.session.scalar(select(FirmAffiliation))
        firms.detach(affiliation, days(10), db.session.get(User, staff.id))
        db.session.commit()
        firm = db.session.scalar(select(AuditFirm))
        firm_id = firm.id
        assert firm.current_affiliations == [affiliation]
        assert firm.affiliations_on(days(10)) == [affiliation]
        assert firm.affiliations_on(days(11)) == []

    public = client.get(f"/registry/firms/{firm_id}").get_data(as_text=True)
    assert "Ingrid Berg" in public
    auth.login(staff.email)
    page = client.get(f"/staff/firms/{firm_id}").get_data(as_text=True)
    attached = page.split("<h3")[0]
    assert "Ingrid Berg" in attached
    assert not re.search(r"/detach\b", attached)  # already given a last day
    assert "Formerly attached" not in page
    listing = client.get("/staff/firms/").get_data(as_text=True)
    assert re.search(r"Fjord Assurance AS</a></th>(?:\s*<td>[^<]*</td>){3}\s*<td>1</td>", listing)
