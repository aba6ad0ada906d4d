"""W3C Bitstring Status List v1.0 encoding: pure, no Flask.

The list is a bitstring of at least 131,072 bits (16 KiB, the specification's minimum, so
that one index reveals little about its holder); bit 0 is the most significant bit of the
first byte. ``encodedList`` is the GZIP-compressed bitstring in base64url without padding,
with the multibase prefix "u"."""

import base64
import gzip
from collections.abc import Iterable

#: The specification's minimum length, and the step the list grows by.
MIN_BITS = 131_072


def list_length(largest_index: int) -> int:
    """Bits needed for indexes 0..``largest_index``, in whole steps of ``MIN_BITS``."""
    steps = max(largest_index, 0) // MIN_BITS + 1
    return steps * MIN_BITS


def encode(set_bits: Iterable[int], length: int) -> str:
    if length % 8:
        raise ValueError("a status list's length must be a whole number of bytes")
    bits = bytearray(length // 8)
    for index in set_bits:
        if not 0 <= index < length:
            raise ValueError(f"status list index {index} is outside 0..{length - 1}")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix u)")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(encoded: str, index: int) -> bool:
    """What a verifier does: the bit at ``index`` of the decoded list."""
    bits = decode(encoded)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
