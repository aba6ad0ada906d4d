"""The eligibility engine of DESIGN.md: one pure function, three faces (the members' form,
the JSON API and the "find eligible auditors" shortlist).

``is_eligible(holder, role, standard, sector, country, date, entity=None, scheme=...)``
answers whether ``holder`` may audit as ``role`` against ``standard`` in ``sector`` and
``country`` on ``date`` (and, with an entity, for that entity). It returns a ``Verdict``
with every check, each ``Check(code, passed, message)``, in this order:

- ``accreditation_active``: an accreditation for the role (a role that includes it, such as
  lead_auditor for auditor, counts) whose status was active on the date (read from its
  status history, so a question about a past audit is answered as it was then), with the
  date inside valid_from..valid_until;
- ``scope_standard``: it has a scope in the standard;
- ``standard_version_current``: that scope's version is usable on the date (the current
  version, or the previous one during the transition);
- ``scope_sector``: it has a scope for the standard and sector that has not lapsed;
- ``country``: it covers the country;
- ``training_current``: the holder's certificates for the courses the role requires (the
  role's courses and the standard's course) are valid on the date;
- ``conflict_of_interest``: only with an entity; no link declared with it in the scheme's
  window (``conflict_window_years`` of scheme.yml, 3). Members read the verdict, so its
  message says only that a link with the entity is declared in the window, never the link's
  kind or dates.

A scope check cannot pass without a scope in the standard, so a holder accredited for
another standard fails ``scope_standard``, ``standard_version_current`` and ``scope_sector``
together. Roles with ``scoped: false`` in scheme.yml (specialists) are registered for the
whole scheme rather than per standard and sector: for them the three scope checks pass and
say so.

When the holder holds several accreditations that satisfy the role (auditor and
lead_auditor), each is checked and the verdict is that of the first that passes every
check, or else the one that passes most (the exact role first).

No Flask, no database: ``holders.py`` loads the plain data of ``facts.py``, ``checks.py``
makes each check, and this module assembles the verdict. The training and scope rules are
the application checklist's own (see ``checks.py``); ``tests/registry/test_faces_agree.py``
proves the checklist, this engine and the registry search agree.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from educational.catalog.content.model import Scheme

from . import checks
from .checks import Check
from .facts import AccreditationFacts, Holder

#: The check codes, in the order a verdict lists them.
CHECK_CODES = (
    "accreditation_active",
    "scope_standard",
    "standard_version_current",
    "scope_sector",
    "country",
    "training_current",
    "conflict_of_interest",
)


class Verdict(NamedTuple):
    eligible: bool
    checks: tuple[Check, ...] = ()
    #: The accreditation the checks were made on (None: the holder holds none for the role).
    accreditation: AccreditationFacts | None = None

    def check(self, code: str) -> Check | None:
        return next((check for check in self.checks if check.code == code), None)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(check.code for check in self.checks if not check.passed)


def is_eligible(
    holder: Holder,
    role: str,
    standard: str,
    sector: str,
    country: str,
    date: date,
    entity: str | None = None,
    *,
    scheme: Scheme,
) -> Verdict:
    """Every check for ``holder`` acting as ``role`` on ``date`` (see the module docstring)."""
    country = country.strip().upper()
    entity = (entity or "").strip() or None
    shared = [checks.training(holder, role, standard, date, scheme)]
    if entity is not None:
        shared.append(checks.conflict(holder, entity, date, scheme))
    candidates = [
        a for r in scheme.roles_satisfying(role) for a in holder.accreditations if a.role == r
    ]
    if not candidates:
        return _verdict(
            [checks.no_accreditation(role), *checks.no_scope_checks(standard, sector, country)],
            shared,
        )
    verdicts = []
    for accreditation in candidates:
        verdict = _verdict(
            accreditation_checks(accreditation, role, standard, sector, country, date, scheme),
            shared,
            accreditation,
        )
        if verdict.eligible:
            return verdict
        verdicts.append(verdict)
    return max(verdicts, key=lambda v: sum(check.passed for check in v.checks))


def accreditation_checks(
    accreditation: AccreditationFacts,
    role: str,
    standard: str,
    sector: str,
    country: str,
    day: date,
    scheme: Scheme,
) -> list[Check]:
    """The checks of one accreditation: active, its scope (three checks) and its country."""
    return [
        checks.active(accreditation, role, day),
        *checks.scope_checks(accreditation, standard, sector, day, scheme),
        checks.country(accreditation, country),
    ]


def _verdict(
    own: list[Check], shared: list[Check], accreditation: AccreditationFacts | None = None
) -> Verdict:
    # The training check goes after the accreditation's own; the conflict check last.
    found = (*own, *shared)
    return Verdict(all(check.passed for check in found), found, accreditation)
