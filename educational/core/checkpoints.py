"""Signed checkpoints of the audit chain, kept outside the database.

As Certificate Transparency's signed tree heads, a checkpoint commits to the chain as it
stood: ``{"count": <events>, "head_id": <last event's id>, "head_hash": <its hash>,
"time": <UTC, ISO 8601>}``, signed with the app's Ed25519 key (core/keys.py). Whoever later
deletes the newest events, or rewrites the chain and recomputes every hash, cannot make the
chain match a checkpoint taken before, nor sign a new one without the key.

Signature format: a compact JWS (RFC 7515), header ``{"alg": "EdDSA", "kid": <the key's
RFC 7638 thumbprint, as in /.well-known/jwks.json>, "typ": "audit-checkpoint+jwt"}``, whose
payload is the four fields as canonical JSON (sorted keys, no spaces). Any JOSE library
checks it with the published JWKS. The explicit ``typ`` keeps a checkpoint and a credential,
signed by the same key, from being taken for each other (RFC 8725, 3.11).

The log is a file of JSON lines, one per checkpoint: the four fields plus ``signature`` (the
JWS). It is created mode 0600 and only ever appended to (O_APPEND, then fsync), under an
exclusive lock so two cron runs cannot interleave. A copy on this host proves little against
someone who holds the server; ship the log elsewhere (see the README)."""

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from flask import Flask, current_app
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from .audit import ChainReport, canonical_json, verify_chain
from .keys import ALGORITHM, key_id, registry

TYPE = "audit-checkpoint+jwt"
FIELDS = ("count", "head_id", "head_hash", "time")


class CheckpointError(Exception):
    """A line of the checkpoint log cannot be trusted; the message says why."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Checkpoint:
    #: Events in the chain when the checkpoint was taken.
    count: int
    #: The id of the newest of them (None for an empty chain).
    head_id: int | None
    #: Its hash (the genesis hash for an empty chain).
    head_hash: str
    #: When, UTC, ISO 8601 to the second: ``2026-11-26T10:00:00Z``.
    time: str
    #: The compact JWS over the four fields above.
    signature: str = ""
    #: The line of the log it was read from (0 for a new one).
    line: int = 0

    def fields(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}

    def as_json(self) -> str:
        return canonical_json({**self.fields(), "signature": self.signature})

    def describe(self) -> str:
        return f"the checkpoint on line {self.line} of the log ({self.time})"


def checkpoint_path(app: Flask | None = None) -> Path:
    return Path((app or current_app).config["AUDIT_CHECKPOINT_PATH"])


def sign_checkpoint(head: ChainReport, key: OKPKey, now: datetime) -> Checkpoint:
    """A checkpoint of an intact chain, as ``verify_chain`` reported it."""
    time = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    unsigned = Checkpoint(head.checked, head.head_id, head.head_hash, time)
    header = {"alg": ALGORITHM, "kid": key_id(key), "typ": TYPE}
    payload = canonical_json(unsigned.fields())
    signature = jws.serialize_compact(
        header, payload, key, algorithms=[ALGORITHM], registry=registry
    )
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def read_checkpoints(path: Path, key: OKPKey) -> list[Checkpoint]:
    """Every checkpoint of the log, each signature checked with ``key`` and each one no
    older and no shorter than the one before. Raises ``CheckpointError`` naming the line."""
    checkpoints: list[Checkpoint] = []
    # Undecodable bytes become U+FFFD, so such a line is reported, not a traceback.
    with path.open(encoding="utf-8", errors="replace") as file:
        for number, text in enumerate(file, start=1):
            if not text.strip():
                continue
            checkpoint = _parse(number, text, key)
            if checkpoints:
                _check_order(checkpoints[-1], checkpoint)
            checkpoints.append(checkpoint)
    return checkpoints


def _parse(number: int, text: str, key: OKPKey) -> Checkpoint:
    try:
        line = json.loads(text)
        if not isinstance(line, dict) or set(line) != {*FIELDS, "signature"}:
            raise ValueError(f"its fields must be {', '.join(FIELDS)} and signature")
        checkpoint = Checkpoint(**line)
        if not _whole(checkpoint.count) or not (
            checkpoint.head_id is None or _whole(checkpoint.head_id)
        ):
            raise ValueError("count and head_id must be whole numbers")
        if not isinstance(checkpoint.head_hash, str) or not isinstance(checkpoint.signature, str):
            raise ValueError("head_hash and signature must be strings")
        _parse_time(checkpoint.time)
    except ValueError as error:  # json's JSONDecodeError is one
        raise CheckpointError(number, f"it is not a checkpoint: {error}") from None
    try:
        signed = jws.deserialize_compact(
            checkpoint.signature, key, algorithms=[ALGORITHM], registry=registry
        )
    except (JoseError, ValueError):
        header = _unverified_header(checkpoint.signature)
        if header.get("kid") not in (None, key_id(key)):
            reason = (
                f"it was signed by key {header['kid']}, not by this app's key {key_id(key)}; "
                "verify it with the key that signed it"
            )
        else:
            reason = f"its signature does not verify with this app's key {key_id(key)}"
        raise CheckpointError(number, reason) from None
    if signed.protected.get("typ") != TYPE:
        raise CheckpointError(number, f"its signature is not of type {TYPE}")
    if signed.payload != canonical_json(checkpoint.fields()).encode():
        raise CheckpointError(number, "its fields differ from those its signature covers")
    return Checkpoint(**{**asdict(checkpoint), "line": number})


def _whole(value: object) -> bool:
    return type(value) is int and value >= 0


def _unverified_header(signature: str) -> dict:
    try:
        return dict(jws.extract_compact(signature.encode()).protected)
    except (JoseError, ValueError, TypeError):
        return {}


def _parse_time(value: str) -> datetime:
    if not isinstance(value, str) or not value.endswith("Z"):
        raise ValueError("time is not UTC ISO 8601")
    return datetime.fromisoformat(value)


def _check_order(before: Checkpoint, after: Checkpoint) -> None:
    """Checkpoints only ever move forward: a chain never shrinks, a clock never runs back,
    and one count has one head."""
    reason = ""
    if _parse_time(after.time) < _parse_time(before.time):
        reason = f"it is dated {after.time}, before line {before.line} ({before.time})"
    elif after.count < before.count:
        reason = (
            f"it counts {after.count} events, fewer than the {before.count} of line {before.line}"
        )
    elif after.count == before.count and (after.head_id, after.head_hash) != (
        before.head_id,
        before.head_hash,
    ):
        reason = f"it signs another head for the same {after.count} events as line {before.line}"
    elif after.count > before.count and (after.head_id or 0) <= (before.head_id or 0):
        reason = f"its head event {after.head_id} is not newer than line {before.line}'s"
    if reason:
        raise CheckpointError(after.line, f"out of order: {reason}")


class ChainBroken(Exception):
    """The chain does not verify, so it must not be checkpointed."""

    def __init__(self, report: ChainReport) -> None:
        super().__init__(report.reason)
        self.report = report


def take_checkpoint(path: Path, key: OKPKey, now: datetime) -> Checkpoint:
    """Verify the chain against the log's checkpoints, then sign its head and append it.

    Refuses (``ChainBroken``, ``CheckpointError``) rather than anchor a broken chain or
    extend a log that does not verify: a checkpoint vouches for everything before it."""
    with locked_log(path) as log:
        checkpoints = read_checkpoints(path, key)
        report = verify_chain(anchors=checkpoints)
        if not report.ok:
            raise ChainBroken(report)
        checkpoint = sign_checkpoint(report, key, now)
        # The chain matched every checkpoint, so only the clock can put this one out of order.
        if checkpoints and _parse_time(checkpoint.time) < _parse_time(checkpoints[-1].time):
            last = checkpoints[-1]
            reason = f"it is dated {last.time}, later than this host's clock; set the clock right"
            raise CheckpointError(last.line, reason)
        append_checkpoint(log, checkpoint)
    return checkpoint


@contextmanager
def locked_log(path: Path) -> Iterator[IO[str]]:
    """The log opened for appending (created 0600), held under an exclusive lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        yield file


def append_checkpoint(log: IO[str], checkpoint: Checkpoint) -> None:
    """One line in one write, flushed to disk before the command says it is done."""
    log.write(checkpoint.as_json() + "\n")
    log.flush()
    os.fsync(log.fileno())


def latest_checkpoint(path: Path) -> dict | None:
    """The last line of the log as published, or None when there is none. Read from the end:
    the log grows by a line per cron run for as long as the app lives."""
    try:
        with path.open("rb") as file:
            end = file.seek(0, os.SEEK_END)
            file.seek(max(0, end - 64 * 1024))
            tail = file.read()
    except FileNotFoundError:
        return None
    for text in reversed(tail.splitlines()):
        try:
            line = json.loads(text)
        except ValueError:
            continue
        if isinstance(line, dict) and set(line) == {*FIELDS, "signature"}:
            return line
    return None
