"""Content hashes: how the database sync tells what changed since the last sync."""

from __future__ import annotations

import hashlib
import json
from datetime import date


def content_hash(content: object) -> str:
    """SHA-256 (hex) of a canonical JSON serialisation of ``content``.

    Keys are sorted and separators fixed, so equal content always gives the same hash, on any
    machine and Python version. Dates serialise as ISO text; tuples as lists.
    """
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(f"cannot hash a {type(value).__name__}")
