"""The accreditation as an Open Badges 3.0 credential (VC-JWT, the certificates' key), and
the Bitstring Status List credential that tells verifiers whether it still holds.

The credential follows the certificate's (``educational.certificates.credential``): the
same issuer Profile, the same holder URN, the same JWT claims and signing key (published at
/.well-known/jwks.json). The achievement is the role (``achievementType`` "License", the
OB 3.0 term for a licence to practise); the results state the scopes (standard, version,
sector), the countries and the validity; ``validFrom``/``validUntil`` are the validity.

Revocation: ``credentialStatus`` is one ``BitstringStatusListEntry`` whose index is the
accreditation's id (stable for ever). Its bit in the list published at
/registry/status/suspension is set while the accreditation is suspended, withdrawn or expired
(an active one past its last valid day counts as expired). The purpose is "suspension"
because the bit can clear again (reinstatement, renewal), which the Bitstring Status List
specification forbids for "revocation"; a withdrawal is final, so its bit never clears.
OB 3.0 allows one status entry, so it is this one.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, not_, select

from educational.accreditation.models import Accreditation
from educational.catalog.content.model import Scheme
from educational.certificates import signing
from educational.certificates.credential import CONTEXT, issuer_profile, jwt_claims
from educational.core.db import db, utcnow
from educational.core.urls import external_url

from . import statuslist

TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
STATUS_PURPOSE = "suspension"
STATUS_CONTEXT = ["https://www.w3.org/ns/credentials/v2"]
#: How long a published status list may be cached (seconds); also its validity margin.
STATUS_LIST_TTL = 300


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def status_list_url() -> str:
    return external_url("registry.status_list", purpose=STATUS_PURPOSE)


def holder_urn(user_id: int) -> str:
    """The holder's URN, the same as on their certificates (see certificates.credential)."""
    issuer_id = external_url("certificates.issuer")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer_id}#learner-{user_id}").urn


def accreditation_credential(accreditation: Accreditation, scheme: Scheme | None) -> dict:
    """The unsigned OpenBadgeCredential; its URLs are under PUBLIC_URL."""
    profile = issuer_profile()
    del profile["@context"]
    holder = accreditation.profile
    role = accreditation.role
    role_name = scheme.roles[role].name if scheme and role in scheme.roles else role
    achievement_id = external_url("registry.index", role=role)
    scopes = [s for s in accreditation.scopes if s.status == "active"]
    results = [
        _result(achievement_id, "role", role),
        *[_result(achievement_id, "scope", f"{s.standard} {s.version} {s.sector}") for s in scopes],
        _result(achievement_id, "countries", " ".join(accreditation.countries or [])),
        _result(
            achievement_id,
            "validity",
            f"{accreditation.valid_from.isoformat()}/{accreditation.valid_until.isoformat()}",
        ),
    ]
    if accreditation.specialist_areas:
        results.append(
            _result(achievement_id, "specialist-areas", " ".join(accreditation.specialist_areas))
        )
    issuer_id = profile["id"]
    index = str(accreditation.id)
    return {
        "@context": CONTEXT,
        "id": uuid.uuid5(
            uuid.NAMESPACE_URL,
            f"{issuer_id}#accreditation-{accreditation.id}-{accreditation.valid_until}",
        ).urn,
        "type": TYPE,
        "name": f"{role_name} ({holder.registry_id})",
        "description": (
            f"{holder.user.name} ({holder.registry_id}) holds the role {role_name}, valid "
            f"from {accreditation.valid_from.isoformat()} until "
            f"{accreditation.valid_until.isoformat()}."
        ),
        "issuer": profile,
        "validFrom": _timestamp(_midnight(accreditation.valid_from)),
        "validUntil": _timestamp(_midnight(accreditation.valid_until + timedelta(days=1))),
        "awardedDate": _timestamp(_midnight(accreditation.valid_from)),
        "credentialSubject": {
            "id": holder_urn(holder.user_id),
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "identityHash": holder.user.name,
                    "hashed": False,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "identityHash": holder.registry_id,
                    "hashed": False,
                },
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "License",
                "name": role_name,
                "description": f"{role_name} of the {profile['name']} scheme.",
                "criteria": {
                    "narrative": (
                        "Met the scheme's requirements for the role (training, qualification "
                        "and verified experience) and was approved by the scheme's secretariat."
                    )
                },
                "creator": profile,
                "resultDescription": [
                    _result_description(achievement_id, key, name)
                    for key, name in (
                        ("role", "Role"),
                        ("scope", "Scope: standard, version and sector"),
                        ("countries", "Countries (ISO 3166-1 alpha-2)"),
                        ("validity", "Validity: first and last valid day"),
                        ("specialist-areas", "Specialist areas"),
                    )
                ],
            },
            "result": results,
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE,
            "statusListIndex": index,
            "statusListCredential": status_list_url(),
        },
    }


def _result_description(achievement_id: str, key: str, name: str) -> dict:
    return {
        "id": f"{achievement_id}#{key}",
        "type": ["ResultDescription"],
        "name": name,
        "resultType": "Status",
    }


def _result(achievement_id: str, key: str, value: str) -> dict:
    return {"type": ["Result"], "resultDescription": f"{achievement_id}#{key}", "value": value}


def signed_accreditation_credential(accreditation: Accreditation, scheme: Scheme | None) -> str:
    return signing.sign_jwt(
        jwt_claims(accreditation_credential(accreditation, scheme)), signing.signing_key()
    )


# The status list


def not_in_force(today: date):
    """SQL: accreditations whose bit is set: not active today (``Accreditation.shows``), so
    suspended, withdrawn or expired."""
    return not_(Accreditation.shows("active", today))


def status_list_bits(today: date) -> tuple[list[int], int]:
    """(set indexes, list length)."""
    largest = db.session.scalar(select(func.max(Accreditation.id))) or 0
    indexes = db.session.scalars(select(Accreditation.id).where(not_in_force(today))).all()
    return list(indexes), statuslist.list_length(largest)


def status_list_credential(today: date) -> dict:
    profile = issuer_profile()
    del profile["@context"]
    indexes, length = status_list_bits(today)
    now = utcnow()
    url = status_list_url()
    return {
        "@context": STATUS_CONTEXT,
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": profile,
        "validFrom": _timestamp(now),
        "validUntil": _timestamp(now + timedelta(days=1)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": statuslist.encode(indexes, length),
            "ttl": STATUS_LIST_TTL * 1000,
        },
    }


def signed_status_list(today: date) -> str:
    return signing.sign_jwt(jwt_claims(status_list_credential(today)), signing.signing_key())


def in_force(accreditation: Accreditation, today: date) -> bool:
    return accreditation.shows("active", today)
