"""The certificate's credential, issuer profile and QR code name PUBLIC_URL whatever host the
request came by (issue 10, finding 2: a credential fetched with another Host header verified
against the app's key yet named that host as its issuer).

Here PUBLIC_URL is https://training.example.org and the test client's own host, localhost,
is a trusted alias: every request below comes by the alias."""

import re

import jwt
import pytest

from educational.certificates import services
from educational.certificates.pdf import certificate_pdf

PUBLIC = "https://training.example.org"
IMAGE_RE = re.compile(rb"/Subtype /Image.*?stream\r?\n(.*?)\r?\nendstream", re.DOTALL)

pytestmark = pytest.mark.app_config(PUBLIC_URL=PUBLIC, TRUSTED_HOSTS=["localhost"])


def verified_claims(client, token: str) -> dict:
    keys = client.get("/.well-known/jwks.json").json
    key = jwt.PyJWKSet.from_dict(keys)[jwt.get_unverified_header(token)["kid"]]
    return jwt.decode(token, key.key, algorithms=["EdDSA"], issuer=f"{PUBLIC}/certificates/issuer")


def test_a_credential_fetched_by_an_alias_names_the_public_url(client, auth, make_user, issue):
    owner = make_user()
    code = issue(owner)
    auth.login(owner.email)
    token = client.get(f"/certificates/{code}/credential").get_data(as_text=True)

    claims = verified_claims(client, token)
    assert claims["iss"] == claims["issuer"]["id"] == f"{PUBLIC}/certificates/issuer"
    assert claims["issuer"]["url"] == f"{PUBLIC}/"
    assert claims["id"] == claims["jti"] == f"{PUBLIC}/verify/{code}"
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{PUBLIC}/courses/asi-auditor"
    assert achievement["creator"]["id"] == claims["iss"]
    assert "localhost" not in token and "localhost" not in str(claims)


def test_the_issuer_profile_served_by_an_alias_names_the_public_url(client, synced_courses):
    profile = client.get("/certificates/issuer").json
    assert profile["id"] == f"{PUBLIC}/certificates/issuer"
    assert profile["url"] == f"{PUBLIC}/"


def test_the_pdfs_qr_code_is_the_public_verification_page(app, client, auth, make_user, issue):
    owner = make_user()
    code = issue(owner)
    auth.login(owner.email)
    served = client.get(f"/certificates/{code}/pdf").get_data()

    # The QR image in the served PDF is the one drawn for the public URL, which the same
    # code prints beside it.
    with app.app_context():
        certificate = services.find_certificate(code)
        expected = certificate_pdf(certificate, verify_url=f"{PUBLIC}/verify/{code}", issuer="x")
    assert IMAGE_RE.findall(served) == IMAGE_RE.findall(expected) != []
