"""VC-JWT signing for credentials (joserfc), with the app's key from ``core.keys``.

The key, its ``kid`` and the JWKS published at ``/.well-known/jwks.json`` live in
``educational.core.keys`` (the audit trail's checkpoints are signed with the same key); they
are re-exported here so the certificate and registry code reads ``signing.signing_key()``."""

from joserfc import jwt
from joserfc.jwk import OKPKey

from educational.core.keys import (
    ALGORITHM,
    SigningKeyError,
    key_id,
    load_or_create_key,
    public_jwk,
    public_jwks,
    registry,
    signing_key,
)

__all__ = [
    "ALGORITHM",
    "SigningKeyError",
    "key_id",
    "load_or_create_key",
    "public_jwk",
    "public_jwks",
    "sign_jwt",
    "signing_key",
]


def sign_jwt(claims: dict, key: OKPKey) -> str:
    """The claims as a compact JWS: header ``{"alg": "EdDSA", "kid": <thumbprint>,
    "typ": "JWT"}``."""
    header = {"alg": ALGORITHM, "kid": key_id(key), "typ": "JWT"}
    return jwt.encode(header, claims, key, algorithms=[ALGORITHM], registry=registry)
