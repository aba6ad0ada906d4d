"""The accreditation credential, the status list it points verifiers to, the API's entry
links and OpenAPI's ``servers`` name PUBLIC_URL whatever host the request came by (issue 10,
finding 2: a holder fetching their credential with ``Host: evil.example`` got a credential
that verified yet sent the revocation check to evil.example).

Here PUBLIC_URL is https://training.example.org and the test client's own host, localhost,
is a trusted alias: every request below comes by the alias."""

import jwt
import pytest
from sqlalchemy import select

from educational.accreditation.models import Accreditation
from educational.core.db import db
from tests.builders.registry import Person
from tests.conftest import PASSWORD

PUBLIC = "https://training.example.org"

pytestmark = pytest.mark.app_config(PUBLIC_URL=PUBLIC, TRUSTED_HOSTS=["localhost"])


def verified(client, token: str) -> dict:
    """The claims, checked as a verifier checks them: signature and issuer."""
    keys = client.get("/.well-known/jwks.json").json
    key = jwt.PyJWKSet.from_dict(keys)[jwt.get_unverified_header(token)["kid"]]
    return jwt.decode(
        token,
        key.key,
        algorithms=["EdDSA"],
        issuer=f"{PUBLIC}/certificates/issuer",
        options={"verify_exp": False},
    )


def test_an_accreditation_credential_fetched_by_an_alias_names_the_public_url(
    app, client, registry
):
    registry_id = registry.add(Person("Ingrid Berg"))
    holder = registry.users[registry_id]
    client.post("/login", data={"email": holder.email, "password": PASSWORD})
    with app.app_context():
        accreditation_id = db.session.scalar(select(Accreditation.id))
    response = client.get(f"/registry/accreditations/{accreditation_id}/credential")
    assert response.status_code == 200
    claims = verified(client, response.get_data(as_text=True))

    assert claims["iss"] == claims["issuer"]["id"] == f"{PUBLIC}/certificates/issuer"
    status = claims["credentialStatus"]
    status_list = f"{PUBLIC}/registry/status/suspension"
    assert status["statusListCredential"] == status_list
    assert status["id"] == f"{status_list}#{accreditation_id}"
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{PUBLIC}/registry?role=auditor"
    assert "localhost" not in str(claims)


def test_the_status_list_served_by_an_alias_names_the_public_url(client, registry):
    registry.add(Person("Ingrid Berg"))
    status_list = verified(client, client.get("/registry/status/suspension").get_data(as_text=True))
    assert status_list["id"] == f"{PUBLIC}/registry/status/suspension"
    assert status_list["credentialSubject"]["id"] == f"{PUBLIC}/registry/status/suspension#list"


def test_api_entries_and_openapi_servers_name_the_public_url(client, registry):
    registry_id = registry.add(Person("Ingrid Berg"))
    (entry,) = client.get("/api/v1/registry").json["items"]
    assert entry["url"] == f"{PUBLIC}/registry/{registry_id}"
    assert client.get("/api/v1/openapi.json").json["servers"] == [{"url": f"{PUBLIC}/api/v1"}]
