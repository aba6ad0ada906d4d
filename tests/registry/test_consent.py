"""Only people who consented to publication appear anywhere public: the registry pages and
CSV, firm pages, statistics, the API (search, entry, change feed, eligibility, eligible)
and the members' pages. A non-consenting accredited person is in none of them."""

import pytest

from tests.builders.registry import TODAY, Person, bearer
from tests.conftest import PASSWORD

NAME = "Hilde Hemmelig"
SCOPE = {
    "role": "auditor",
    "standard": "PS",
    "sector": "aluminium-smelting",
    "country": "NO",
    "date": TODAY.isoformat(),
}


@pytest.fixture
def hidden(registry):
    registry.add(Person("Paula Public", firms=["Fjord Assurance AS"]))
    return registry.add(Person(NAME, public=False, firms=["Fjord Assurance AS"], languages=["no"]))


def test_not_in_the_public_registry(client, hidden):
    for q in (NAME, hidden, "Hilde"):
        page = client.get("/registry", query_string={"q": q, "status": "any"})
        assert "0 people found." in page.get_data(as_text=True)
    for url in [
        "/registry",
        "/registry?status=any",
        "/registry?language=no",
        "/registry.csv",
        "/registry.csv?status=any",
        "/registry/firms",
    ]:
        text = client.get(url).get_data(as_text=True)
        assert NAME not in text and hidden not in text, url
    assert client.get(f"/registry/{hidden}").status_code == 404
    firms = client.get("/registry/firms").get_data(as_text=True)
    assert "<td>1</td>" in firms  # Paula alone counts for the firm
    firm_page = client.get("/registry/firms/1").get_data(as_text=True)
    assert "Paula Public" in firm_page and NAME not in firm_page


def test_not_in_the_statistics(client, hidden):
    page = client.get("/registry/statistics").get_data(as_text=True)
    assert "1 person holds an active accreditation today." in page
    assert '<th scope="row">Norway</th><td>1</td>' in page


def test_not_in_the_api(client, hidden, member_token):
    assert hidden not in client.get("/api/v1/registry?status=any").get_data(as_text=True)
    assert client.get(f"/api/v1/registry?q={NAME}").json["total"] == 0
    assert client.get(f"/api/v1/registry/{hidden}").status_code == 404
    assert hidden not in client.get("/api/v1/registry/changes").get_data(as_text=True)
    eligibility = client.get(
        "/api/v1/eligibility",
        query_string={**SCOPE, "registry_id": hidden},
        headers=bearer(member_token),
    )
    assert eligibility.status_code == 404
    eligible = client.get("/api/v1/eligible", query_string=SCOPE, headers=bearer(member_token))
    assert eligible.json["total"] == 1
    assert hidden not in eligible.get_data(as_text=True)


def test_not_on_the_members_pages(client, hidden, member):
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    form = client.get("/members/eligibility", query_string={**SCOPE, "registry_id": hidden})
    text = form.get_data(as_text=True)
    assert NAME not in text
    assert "No one in the public registry has the registry id" in text
    for url in ["/members/eligible", "/members/eligible.csv"]:
        text = client.get(url, query_string=SCOPE).get_data(as_text=True)
        assert "Paula Public" in text
        assert NAME not in text and hidden not in text


def test_withdrawn_consent_takes_effect_at_once(app, client, registry):
    from sqlalchemy import select

    from educational.accreditation.models import RegistryProfile
    from educational.core.db import db

    registry_id = registry.add(Person("Changed Mind"))
    assert client.get(f"/registry/{registry_id}").status_code == 200
    with app.app_context():
        profile = db.session.scalar(select(RegistryProfile))
        profile.public = False
        db.session.commit()
    assert client.get(f"/registry/{registry_id}").status_code == 404
    assert client.get("/api/v1/registry/changes").json["items"] == []
