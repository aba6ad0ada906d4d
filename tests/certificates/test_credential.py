"""The Open Badges 3.0 credential: signed as a VC-JWT with the app's Ed25519 key, checked
here with PyJWT (an independent JOSE library) against the published JWKS."""

import base64
import hashlib
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest

from educational import create_app
from educational.certificates import signing
from tests.conftest import base_config

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _credential(client, auth, make_user, issue, **kwargs) -> tuple[str, str]:
    owner = make_user(name="Zoë Ñúñez")
    code = issue(owner, **kwargs)
    auth.login(owner.email)
    response = client.get(f"/certificates/{code}/credential")
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    return code, response.get_data(as_text=True)


def _jwks_key(client, kid: str):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return jwt.PyJWKSet.from_dict(response.json)[kid]


def test_the_credential_verifies_with_the_published_key(client, auth, make_user, issue):
    code, token = _credential(
        client, auth, make_user, issue, at=datetime(2026, 4, 5, 6, 7, 8, tzinfo=UTC)
    )
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": header["kid"], "typ": "JWT"}
    key = _jwks_key(client, header["kid"])
    issuer_id = "http://localhost/certificates/issuer"
    claims = jwt.decode(
        token,
        key.key,
        algorithms=["EdDSA"],
        issuer=issuer_id,
        options={"require": ["iss", "jti", "sub", "nbf", "exp"]},
    )
    # VC 2.0 form: the payload is the credential, no "vc" wrapper.
    assert "vc" not in claims
    assert claims["@context"] == CONTEXT
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["id"] == claims["jti"] == f"http://localhost/verify/{code}"
    assert claims["issuer"]["id"] == claims["iss"]
    assert claims["issuer"]["type"] == ["Profile"]
    assert claims["issuer"]["name"] == "Aluminium Stewardship Initiative"
    assert claims["validFrom"] == "2026-04-05T06:07:08Z"
    assert claims["nbf"] == int(datetime(2026, 4, 5, 6, 7, 8, tzinfo=UTC).timestamp())
    assert claims["validUntil"] == "2029-04-05T00:00:00Z"
    assert claims["exp"] == int(datetime(2029, 4, 5, tzinfo=UTC).timestamp())
    subject = claims["credentialSubject"]
    assert subject["id"] == claims["sub"]
    assert subject["id"].startswith("urn:uuid:")
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Zoë Ñúñez"
    achievement = subject["achievement"]
    assert achievement["id"] == "http://localhost/courses/asi-auditor"
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "ASI Auditor Course"
    assert achievement["version"] == "2026.1"
    assert achievement["description"]
    assert achievement["criteria"]["narrative"]


def test_changing_one_byte_of_the_payload_breaks_the_signature(client, auth, make_user, issue):
    _, token = _credential(client, auth, make_user, issue)
    header, payload, signature = token.split(".")
    key = _jwks_key(client, jwt.get_unverified_header(token)["kid"])
    raw = bytearray(_unb64(payload))
    position = raw.index("Zoë".encode())
    raw[position] ^= 0x01  # "Zoë" becomes "[oë"
    forged = ".".join([header, _b64(bytes(raw)), signature])
    assert json.loads(_unb64(forged.split(".")[1]))["credentialSubject"]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, key.key, algorithms=["EdDSA"])
    jwt.decode(token, key.key, algorithms=["EdDSA"])  # the original still verifies


def test_the_key_id_is_the_rfc7638_thumbprint(client, synced_courses):
    jwks = client.get("/.well-known/jwks.json").json
    [key] = jwks["keys"]
    assert set(key) == {"kty", "crv", "x", "kid", "alg", "use"}  # never "d"
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    members = json.dumps(
        {"crv": key["crv"], "kty": key["kty"], "x": key["x"]}, separators=(",", ":")
    )
    assert key["kid"] == _b64(hashlib.sha256(members.encode()).digest())


def test_the_key_is_created_once_with_mode_0600_and_reused_after_a_restart(app, tmp_path):
    path = Path(app.config["CREDENTIAL_KEY_PATH"])
    assert not path.exists()
    kid = app.test_client().get("/.well-known/jwks.json").json["keys"][0]["kid"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pem = path.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    # A new app (a restart, or another worker) reads the same file.
    again = create_app(base_config(tmp_path, CREDENTIAL_KEY_PATH=str(path)))
    assert again.test_client().get("/.well-known/jwks.json").json["keys"][0]["kid"] == kid
    assert path.read_bytes() == pem
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_the_key_path_defaults_to_the_instance_folder(tmp_path):
    config = base_config(tmp_path)
    del config["CREDENTIAL_KEY_PATH"]
    app = create_app(config)
    assert app.config["CREDENTIAL_KEY_PATH"] == str(Path(app.instance_path) / "credential-key.pem")


def test_an_unusable_key_file_is_reported_not_replaced(tmp_path):
    path = tmp_path / "credential-key.pem"
    path.write_text("not a key")
    with pytest.raises(signing.SigningKeyError, match="not a readable PEM private key"):
        signing.load_or_create_key(path)
    assert path.read_text() == "not a key"


def test_only_the_holder_downloads_the_credential(client, auth, make_user, issue):
    owner = make_user()
    code = issue(owner)
    url = f"/certificates/{code}/credential"
    response = client.get(url)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    for role in ("learner", "member", "staff", "admin"):
        auth.login(make_user(role).email)
        assert client.get(url).status_code == 403, role
        auth.logout()
    auth.login(owner.email)
    assert client.get(url).status_code == 200
    assert client.get("/certificates/AAAA-BBBB-CCCC-DDDD-EEEE/credential").status_code == 404


def test_the_issuer_profile_is_published_at_its_id(client, synced_courses):
    profile = client.get("/certificates/issuer").json
    assert profile["id"] == "http://localhost/certificates/issuer"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Aluminium Stewardship Initiative"
