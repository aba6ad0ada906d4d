"""Which versions of a standard are usable on a date.

The current version is the newest one published on or before the date. For
``transition_months`` after its publication the previous version stays usable too: a version
published on 2022-05-19 with a 12-month transition leaves its predecessor usable up to and
including 2023-05-18, and no longer from 2023-05-19 (12 months to the day after publication).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from educational.catalog.content.model import Standard, StandardVersion

from .periods import add_months


def current_version(standard: Standard, as_of: date) -> StandardVersion | None:
    """The newest version published on or before ``as_of``; None before the first one."""
    published = [version for version in standard.versions if version.published <= as_of]
    return published[-1] if published else None


def transition_last_day(standard: Standard, version: StandardVersion) -> date | None:
    """The last day the version before ``version`` stays usable; None without a transition."""
    index = standard.versions.index(version)
    if index == 0 or version.transition_months <= 0:
        return None
    return add_months(version.published, version.transition_months) - timedelta(days=1)


def previous_version(standard: Standard, version: StandardVersion) -> StandardVersion | None:
    index = standard.versions.index(version)
    return standard.versions[index - 1] if index > 0 else None


def usable_versions(standard: Standard, as_of: date) -> tuple[StandardVersion, ...]:
    """The versions a course (or an accreditation scope) may be for on ``as_of``, newest first:
    the current one, and the previous one while the current one's transition lasts."""
    current = current_version(standard, as_of)
    if current is None:
        return ()
    last_day = transition_last_day(standard, current)
    previous = previous_version(standard, current)
    if previous is not None and last_day is not None and as_of <= last_day:
        return (current, previous)
    return (current,)


@dataclass(frozen=True)
class VersionsOn:
    """A standard's versions on a day, as the training and scope checks read them."""

    #: Usable version names, newest first (the current one, and the previous one during
    #: the transition); empty before the first version is published.
    usable: tuple[str, ...]
    current: str | None
    #: The version before the current one, usable or not.
    previous: str | None
    #: The last day the previous version stays usable (None: no transition).
    last_day: date | None
    #: Versions published before the current one, oldest first.
    older: tuple[str, ...] = ()


#: (id of the standard, day) -> (the standard, its versions that day). The standard is kept
#: with its answer, so an id reused by another object is never mistaken for it; hashing the
#: frozen dataclass itself on every call would cost more than the answer.
_versions_cache: dict[tuple[int, date], tuple[Standard, VersionsOn]] = {}


def versions_on(standard: Standard, day: date) -> VersionsOn:
    """``standard``'s versions on ``day`` (cached: thousands of checks ask the same)."""
    found = _versions_cache.get((id(standard), day))
    if found is not None and found[0] is standard:
        return found[1]
    if len(_versions_cache) >= 4096:
        _versions_cache.clear()
    answer = _versions_on(standard, day)
    _versions_cache[(id(standard), day)] = (standard, answer)
    return answer


def _versions_on(standard: Standard, day: date) -> VersionsOn:
    usable = usable_versions(standard, day)
    if not usable:
        return VersionsOn((), None, None, None)
    current = usable[0]
    previous = previous_version(standard, current)
    index = standard.versions.index(current)
    return VersionsOn(
        tuple(version.version for version in usable),
        current.version,
        previous.version if previous else None,
        transition_last_day(standard, current),
        tuple(version.version for version in standard.versions[:index]),
    )
