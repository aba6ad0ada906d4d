"""A page of results: the one model of the registry's pages, the members' shortlist and the
JSON API (``{"items", "total", "page", "per_page"}``).

It names its attributes as Flask-SQLAlchemy's ``Pagination`` does (``items``, ``total``,
``page``, ``per_page``, ``pages``), so a template's pager reads either. Pure: no Flask, no
database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Page(Generic[T]):
    """``items`` are page ``page`` (from 1) of ``total`` results, ``per_page`` a page. A page
    past the last is empty and keeps the total."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @classmethod
    def of(cls, found: Sequence[T], page: int, per_page: int) -> Page[T]:
        """Page ``page`` of results already in hand (the eligibility engine's, which checks
        everyone before any page is shown)."""
        start = (page - 1) * per_page
        return cls(list(found[start : start + per_page]), len(found), page, per_page)

    @property
    def pages(self) -> int:
        """The number of pages; 1 when there is nothing to show."""
        return max(1, -(-self.total // self.per_page))

    def map(self, function: Callable[[T], U]) -> Page[U]:
        """The same page with each item turned into ``function(item)``."""
        return replace(self, items=[function(item) for item in self.items])  # type: ignore[arg-type]
