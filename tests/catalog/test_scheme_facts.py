"""Scheme facts live in scheme.yml (``scoped`` on a role, ``conflict_window_years``), are
checked with ``path:line: message`` problems, survive the sync, and are read through one
cached accessor (``catalog.scheme.current_scheme``) that sees a changed row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, update

from educational.catalog.content import load_tree
from educational.catalog.models import SchemeConfig
from educational.catalog.scheme import current_scheme
from educational.core.db import db

FIXTURE = Path(__file__).parent / "content_fixtures" / "valid"
SPECIALIST = "  specialist:\n    name: Registered Specialist\n"


def problems_after(tmp_path: Path, old: str, new: str) -> list[str]:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    scheme = root / "scheme.yml"
    text = scheme.read_text(encoding="utf-8")
    assert text.count(old) == 1
    scheme.write_text(text.replace(old, new), encoding="utf-8")
    return [str(problem) for problem in load_tree(root).problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    name: Accredited Auditor\n",
            "    name: Accredited Auditor\n    scoped: false\n",
            'scheme.yml:32: role "auditor" has "scoped: false" but requires "standard_course", '
            'which is read per standard and sector; remove that requirement or "scoped: false"',
        ),
        (
            # Through includes: lead_auditor inherits auditor's standard_course.
            "    name: Accredited Lead Auditor\n",
            "    name: Accredited Lead Auditor\n    scoped: false\n",
            'scheme.yml:41: role "lead_auditor" has "scoped: false" but requires '
            '"standard_course", which is read per standard and sector; remove that requirement '
            'or "scoped: false"',
        ),
        (
            SPECIALIST,
            SPECIALIST + "    scoped: no-thanks\n",
            'scheme.yml:46: "scoped" must be true or false; it is "no-thanks"',
        ),
        (
            "four_eyes: true\n",
            "four_eyes: true\nconflict_window_years: 0\n",
            'scheme.yml:8: "conflict_window_years" must be a whole number of at least 1; it is 0',
        ),
    ],
    ids=["unscoped-with-standard-course", "unscoped-through-includes", "not-a-bool", "window"],
)
def test_bad_scheme_facts_are_reported_exactly(tmp_path, old, new, expected):
    assert problems_after(tmp_path, old, new) == [expected]


def test_scheme_facts_are_read_with_their_defaults(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    scheme = load_tree(root).tree.scheme
    assert scheme.conflict_window_years == 3
    assert scheme.unscoped_roles == ()
    text = (root / "scheme.yml").read_text(encoding="utf-8")
    (root / "scheme.yml").write_text(
        text.replace(SPECIALIST, SPECIALIST + "    scoped: false\n").replace(
            "four_eyes: true\n", "four_eyes: true\nconflict_window_years: 5\n"
        ),
        encoding="utf-8",
    )
    changed = load_tree(root).tree.scheme
    assert changed.unscoped_roles == ("specialist",)
    assert not changed.is_scoped("specialist") and changed.is_scoped("lead_auditor")
    assert changed.conflict_window_years == 5
    assert changed.content_hash != scheme.content_hash


def test_the_synced_scheme_keeps_its_facts(app, synced_courses):
    with app.app_context():
        scheme = current_scheme()
    assert scheme.unscoped_roles == ("specialist",)
    assert scheme.conflict_window_years == 3
    assert scheme.roles_satisfying("auditor") == ("auditor", "lead_auditor")


def test_current_scheme_is_parsed_once_and_again_when_its_row_changes(app, synced_courses):
    with app.app_context():
        first = current_scheme()
        assert current_scheme() is first
        # A change through the ORM in this process (what a sync does) is seen at once.
        row = db.session.scalar(select(SchemeConfig))
        row.data = {**row.data, "four_eyes": not first.four_eyes}
        db.session.commit()
        changed = current_scheme()
        assert changed is not first and changed.four_eyes is not first.four_eyes


@pytest.mark.app_config(REGISTRY_SCHEME_SECONDS=3600)
def test_a_change_made_elsewhere_is_seen_once_the_cache_is_checked(app, synced_courses):
    with app.app_context():
        first = current_scheme()
        # Another process rewrites the row (no ORM event here): a new content hash.
        db.session.execute(
            update(SchemeConfig).values(
                data={**db.session.scalar(select(SchemeConfig.data)), "four_eyes": True},
                content_hash="changed-elsewhere",
            )
        )
        db.session.commit()
        assert current_scheme() is first  # within REGISTRY_SCHEME_SECONDS: not asked yet
        app.config["REGISTRY_SCHEME_SECONDS"] = 0
        assert current_scheme().four_eyes is True
