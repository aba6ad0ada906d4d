"""The certificate as an Open Badges 3.0 ``OpenBadgeCredential``, secured as a VC-JWT.

Format chosen: Open Badges 3.0 on the W3C Verifiable Credentials Data Model 2.0, with the
JSON Web Token proof of OB 3.0 section 8.2 (which follows VC-JOSE-COSE): the JWT payload
*is* the credential (its members at the top level, no ``vc`` claim: that wrapper belongs to
VCDM 1.1, which OB 3.0 verifiers still accept but no longer issue), plus the registered
claims OB 3.0 requires to mirror it:

- ``iss`` = ``issuer.id``, ``jti`` = ``id``, ``sub`` = ``credentialSubject.id``;
- ``nbf`` = ``validFrom`` (the completion time); ``exp`` = ``validUntil`` when the
  certificate expires (no ``iat``: OB 3.0 defines none).

The JOSE header is ``{"alg": "EdDSA", "kid": <RFC 7638 thumbprint>, "typ": "JWT"}``; the key
is published at ``/.well-known/jwks.json`` (see signing.py). OB 3.0 describes ``kid`` as a
URI to dereference; the thumbprint is used instead so that it depends only on the key (not
on the host name the app is reached by), and verifiers find the key in the issuer's JWKS.

A credential states what was true when it was signed: revocation is not carried inside it.
Its ``id`` is the public verification page, which always gives the current status."""

import uuid
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select

from educational.catalog.models import SchemeConfig
from educational.core.db import db
from educational.core.urls import external_url

from . import signing
from .models import Certificate

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TYPE = ["VerifiableCredential", "OpenBadgeCredential"]


def issuer_name() -> str:
    """The scheme's name from courses/scheme.yml, as last synced."""
    name = db.session.scalar(select(SchemeConfig.name).order_by(SchemeConfig.id).limit(1))
    return name or "educational"


def issuer_profile() -> dict:
    """The OB 3.0 Profile of the issuer; its id is the URL that serves it."""
    return {
        "@context": CONTEXT,
        "id": external_url("certificates.issuer"),
        "type": ["Profile"],
        "name": issuer_name(),
        "url": external_url("core.index"),
    }


def subject_id(certificate: Certificate) -> str:
    """A stable URN for the holder: the same for all their certificates from this issuer,
    revealing neither their e-mail nor their account number."""
    issuer_id = external_url("certificates.issuer")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer_id}#learner-{certificate.user_id}").urn


def open_badge_credential(certificate: Certificate) -> dict:
    """The unsigned OpenBadgeCredential; its URLs are under PUBLIC_URL."""
    profile = issuer_profile()
    del profile["@context"]
    course = certificate.course
    if course.exam_name:
        narrative = _("Read every module of the course and passed its final exam.")
    else:
        narrative = _("Read every module of the course.")
    credential = {
        "@context": CONTEXT,
        "id": external_url("certificates.record", code=certificate.code),
        "type": TYPE,
        "name": certificate.course_title,
        "description": _(
            "Certificate %(code)s: completed %(course)s, version %(version)s.",
            code=certificate.code,
            course=certificate.course_title,
            version=certificate.course_version,
        ),
        "issuer": profile,
        "validFrom": _timestamp(certificate.issued_at),
        "awardedDate": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "id": subject_id(certificate),
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "identityHash": certificate.holder_name,
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": external_url("catalog.course", slug=course.slug),
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": certificate.course_title,
                "description": _(
                    "%(course)s, a course of %(issuer)s.",
                    course=certificate.course_title,
                    issuer=profile["name"],
                ),
                "criteria": {"narrative": narrative},
                "version": certificate.course_version,
                "creator": profile,
            },
        },
    }
    if certificate.expires_on is not None:
        credential["validUntil"] = _timestamp(_midnight(certificate.expires_on))
    return credential


def jwt_claims(credential: dict) -> dict:
    """The credential with the registered claims OB 3.0 requires beside it."""
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": _numeric_date(credential["validFrom"]),
    }
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def signed_credential(certificate: Certificate) -> str:
    """The OpenBadgeCredential as a VC-JWT (compact JWS)."""
    return signing.sign_jwt(jwt_claims(open_badge_credential(certificate)), signing.signing_key())


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _numeric_date(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())
