"""The accreditation as a signed Open Badges 3.0 credential (VC-JWT, the certificates'
key), with a Bitstring Status List entry that tells verifiers when it stops holding."""

from urllib.parse import urlsplit

import jwt
import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation
from educational.core.db import db
from educational.registry import statuslist
from tests.builders.people import login
from tests.builders.registry import Person, days


@pytest.fixture
def holder(registry):
    registry_id = registry.add(
        Person(
            "Ingrid Berg",
            countries=["NO", "IS"],
            scopes=[("PS", "aluminium-smelting", "3"), ("COC", "casthouse", "2")],
        )
    )
    return registry_id, registry.users[registry_id]


def accreditation_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Accreditation.id))


def verify(client, token: str) -> dict:
    """What a verifier does: the key from the issuer's JWKS, then the signature."""
    keys = client.get("/.well-known/jwks.json").json["keys"]
    header = jwt.get_unverified_header(token)
    (key,) = [k for k in keys if k["kid"] == header["kid"]]
    return jwt.decode(token, jwt.PyJWK(key), algorithms=["EdDSA"], options={"verify_exp": False})


def status_bit(client, credential: dict) -> bool:
    entry = credential["credentialStatus"]
    response = client.get(urlsplit(entry["statusListCredential"]).path)
    assert response.mimetype == "application/vc+jwt"
    status_list = verify(client, response.get_data(as_text=True))
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["statusPurpose"] == entry["statusPurpose"]
    return statuslist.is_set(subject["encodedList"], int(entry["statusListIndex"]))


def test_holder_downloads_a_signed_credential(app, client, holder):
    registry_id, user = holder
    login(client, user.email)
    page = client.get("/registry/mine").get_data(as_text=True)
    assert registry_id in page and "Download the credential" in page
    response = client.get(f"/registry/accreditations/{accreditation_id(app)}/credential")
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    assert response.headers["Cache-Control"] == "private, no-store"
    credential = verify(client, response.get_data(as_text=True))

    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["iss"] == credential["issuer"]["id"]
    assert credential["sub"] == credential["credentialSubject"]["id"]
    assert credential["validFrom"] == f"{days(-200).isoformat()}T00:00:00Z"
    assert credential["validUntil"] == f"{days(901).isoformat()}T00:00:00Z"
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["name"] == "ASI Accredited Auditor"
    assert achievement["achievementType"] == "License"
    values = [result["value"] for result in subject["result"]]
    assert "auditor" in values
    assert "PS 3 aluminium-smelting" in values and "COC 2 casthouse" in values
    assert "NO IS" in values or "IS NO" in values
    assert f"{days(-200).isoformat()}/{days(900).isoformat()}" in values
    described = {d["id"] for d in achievement["resultDescription"]}
    assert {r["resultDescription"] for r in subject["result"]} <= described
    identifiers = {i["identityHash"] for i in subject["identifier"]}
    assert {"Ingrid Berg", registry_id} <= identifiers

    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusListIndex"] == str(accreditation_id(app))
    assert entry["id"] == f"{entry['statusListCredential']}#{entry['statusListIndex']}"
    assert status_bit(client, credential) is False


def test_suspension_and_withdrawal_show_to_verifiers(app, client, holder):
    _registry_id, user = holder
    login(client, user.email)
    token = client.get(f"/registry/accreditations/{accreditation_id(app)}/credential")
    credential = verify(client, token.get_data(as_text=True))
    with app.app_context():
        accreditation = db.session.scalar(select(Accreditation))
        accreditation.suspend("complaint under review", actor_id=user.id)
        db.session.commit()
    assert status_bit(client, credential) is True
    with app.app_context():
        db.session.scalar(select(Accreditation)).reinstate("cleared", actor_id=user.id)
        db.session.commit()
    assert status_bit(client, credential) is False
    with app.app_context():
        db.session.scalar(select(Accreditation)).withdraw("fraud", actor_id=user.id)
        db.session.commit()
    assert status_bit(client, credential) is True


def test_expiry_shows_even_before_the_sweep(app, client, registry):
    registry_id = registry.add(Person("Old Timer", valid_from=days(-1200), valid_until=days(-1)))
    with app.app_context():
        index = db.session.scalar(select(Accreditation.id))
    body = client.get("/registry/status/suspension").get_data(as_text=True)
    listed = verify(client, body)["credentialSubject"]["encodedList"]
    assert statuslist.is_set(listed, index)
    login(client, registry.users[registry_id].email)
    refused = client.get(f"/registry/accreditations/{index}/credential", follow_redirects=True)
    assert "Only an active accreditation" in refused.get_data(as_text=True)


def test_only_the_holder_downloads(app, client, holder, make_user):
    login(client, make_user("learner").email)
    url = f"/registry/accreditations/{accreditation_id(app)}/credential"
    assert client.get(url).status_code == 403
    assert client.get("/registry/accreditations/999999/credential").status_code == 404
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_unknown_status_list_is_404(client):
    assert client.get("/registry/status/revocation").status_code == 404
