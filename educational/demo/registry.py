"""The demo registry of ``flask demo load``: about 200 made-up people with firms, made once.

It is the generator of ``flask demo seed`` (seed.py), with a fixed random seed, run only while
the registry is empty: a second ``make serve`` finds the people there and leaves them (and
whatever was added since) alone. The statistics snapshot is computed with it, so the
statistics page has figures from the first page on."""

from __future__ import annotations

from sqlalchemy import func, select

from educational.accreditation.models import RegistryProfile
from educational.core.db import db, today
from educational.registry.snapshot import refresh_statistics

from .seed import analyze, seed_registry


def load_demo_registry(people: int, *, seed: int) -> str:
    """Seed ``people`` people unless the registry has some already; commits. Returns a line
    saying what it did."""
    existing = db.session.scalar(select(func.count(RegistryProfile.id)))
    if existing:
        return f"Demo registry: {existing} people already in the registry, none added."
    if people == 0:
        return "Demo registry: none made (--people 0)."
    report = seed_registry(people, seed=seed, firms=max(5, people // 12))
    refresh_statistics(db.session, today())
    db.session.commit()
    analyze()
    db.session.commit()
    return (
        f"Demo registry: {report.people} people ({report.public} public) and "
        f"{report.firms} audit firms, made in {report.seconds:.1f}s."
    )
