"""Sorting words as a reader expects: by the Unicode Collation Algorithm, not by code point.

By code point, "Égypte" and "Îles Cook" come after "Zimbabwe" and "Åland Islands" after
"Zambia". The collation keys of pyuca, which ships the Default Unicode Collation Element Table
(DUCET), put them among the E, I and A: letters first, then accents, then case.

The DUCET is one order for every language. It is right for English, French and Portuguese;
for Chinese it sorts Han characters in Unicode's radical-and-stroke order, not by pinyin
(that needs ICU's tailored tables, a compiled library). A per-language order would change
``collation_key`` only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from pyuca import Collator

T = TypeVar("T")


@cache
def _collator() -> Collator:
    # Reads the DUCET (about 30,000 lines) once per process.
    return Collator()


def collation_key(text: str) -> tuple:
    """The key that sorts ``text`` among others by the DUCET; equal keys fall back on the
    text itself, so an order is always the same."""
    return (_collator().sort_key(text), text)


def collated(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """``items`` sorted by the collation key of ``key(item)`` (the item itself by default)."""
    return sorted(items, key=lambda item: collation_key(key(item)))
