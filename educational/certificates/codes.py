"""Certificate codes: unguessable, easy to read aloud and to type.

A code is 20 characters of Crockford's base32 (100 random bits), shown in groups of four:
``K7QM-3XDT-9PWA-H2NC-8R4E``. The alphabet has no I, L, O or U, so nothing can be misread;
when a code is typed back, case, spaces and dashes do not matter, and I, L and O are read
as the digits 1, 1 and 0 they look like."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
#: The formatted length, dashes included; the width of the database column.
FORMATTED_LENGTH = LENGTH + LENGTH // GROUP - 1

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")
_LOOK_ALIKES = str.maketrans("ILO", "110")


def new_code() -> str:
    return _format("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalise_code(text: str | None) -> str | None:
    """The canonical form of a typed code, or None if it cannot be a code."""
    if not text:
        return None
    compact = _SEPARATORS.sub("", text).upper().translate(_LOOK_ALIKES)
    if len(compact) != LENGTH or any(char not in ALPHABET for char in compact):
        return None
    return _format(compact)


def _format(compact: str) -> str:
    return "-".join(compact[i : i + GROUP] for i in range(0, LENGTH, GROUP))
