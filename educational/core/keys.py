"""The app's Ed25519 signing key and its public JWKS (joserfc).

One Ed25519 key signs every credential (certificates, registry) and every audit checkpoint
(core/checkpoints.py). It is generated on first use and kept as a PKCS#8 PEM file at
``CREDENTIAL_KEY_PATH`` (default ``<instance>/credential-key.pem``, mode 0600), so it
survives restarts and is shared by every process that reads the same file. Its ``kid`` is
the key's RFC 7638 JWK thumbprint (SHA-256, base64url), so it depends on nothing but the
key: the same in the JWS header, in ``/.well-known/jwks.json`` and across restarts.

Back up the key file with the database: credentials and checkpoints signed by a lost key can
no longer be checked against the published JWKS.

JWS algorithm: ``EdDSA`` with an Ed25519 key (RFC 8037). RFC 9864 deprecates the name in
favour of the fully specified ``Ed25519``, and joserfc warns about it; but Open Badges
verifiers and common JOSE libraries (PyJWT among them) only know ``EdDSA``, and with a key
that is always Ed25519 the ambiguity RFC 9864 removes cannot arise. The registry below
therefore allows ``EdDSA`` alone, without the warning.

This module lives in core, the bottom layer, so that the audit trail can sign with the key
without importing a feature package."""

import contextlib
import os
import secrets
from pathlib import Path

from flask import Flask, current_app
from joserfc.jwa import EdDSAAlgorithm
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

ALGORITHM = "EdDSA"


class _Ed25519Signature(EdDSAAlgorithm):
    security_warning = None


class _Ed25519Registry(JWSRegistry):
    algorithms = {**JWSRegistry.algorithms, ALGORITHM: _Ed25519Signature()}


#: The JWS registry to sign and verify with: ``EdDSA`` only.
registry = _Ed25519Registry(algorithms=[ALGORITHM])


class SigningKeyError(RuntimeError):
    """The key file exists but cannot be used; the message says what to do."""


def signing_key(app: Flask | None = None) -> OKPKey:
    """The app's key, read (or created) once per process."""
    app = app or current_app
    key = app.extensions.get("credential_key")
    if key is None:
        key = load_or_create_key(Path(app.config["CREDENTIAL_KEY_PATH"]))
        app.extensions["credential_key"] = key
    return key


def load_or_create_key(path: Path) -> OKPKey:
    if not path.exists():
        _create_key(path)
    try:
        key = OKPKey.import_key(path.read_bytes())
    except Exception as error:  # joserfc and cryptography raise several kinds
        raise SigningKeyError(
            f"{path} is not a readable PEM private key ({error}). Restore the key from a "
            "backup, or move the file away to have a new key created."
        ) from error
    if key.curve_name != "Ed25519" or not key.is_private:
        raise SigningKeyError(f"{path} must hold an Ed25519 private key.")
    return key


def _create_key(path: Path) -> None:
    """Write a new key atomically: a second process starting at the same moment either
    finds the finished file or loses the race to create it, and then reads the winner's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = OKPKey.generate_key("Ed25519", private=True).as_pem(private=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        # Another process created the key first: keep theirs.
        with contextlib.suppress(FileExistsError):
            os.link(partial, path)
    finally:
        partial.unlink()


def key_id(key: OKPKey) -> str:
    """The RFC 7638 thumbprint of the public key."""
    return key.thumbprint()


def public_jwk(key: OKPKey) -> dict:
    public = key.as_dict(private=False)
    return {
        "kty": public["kty"],
        "crv": public["crv"],
        "x": public["x"],
        "kid": key_id(key),
        "alg": ALGORITHM,
        "use": "sig",
    }


def public_jwks(key: OKPKey) -> dict:
    return {"keys": [public_jwk(key)]}
