"""course.yml's ``refresher``: checked by ``flask courses check`` (a course of the tree,
not the course itself, reported as path:line: message) and stored on the Course row."""

import shutil

import pytest
from sqlalchemy import select

from educational.catalog.models import Course
from educational.core.db import db
from tests.builders.people import COURSES_DIR
from tests.recert.helpers import ORIGINAL, REFRESHER


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(COURSES_DIR, root)
    return root


def set_refresher(root, value: str) -> int:
    """Point asi-auditor's refresher at ``value``; returns its line in course.yml."""
    path = root / ORIGINAL / "course.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(n for n, line in enumerate(lines) if line.startswith("refresher:"))
    lines[index] = f"refresher: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


def check(app, root):
    return app.test_cli_runner().invoke(args=["courses", "check", str(root)])


def test_the_starter_tree_is_valid(app, tree):
    result = check(app, tree)
    assert result.exit_code == 0, result.output


def test_an_unknown_refresher_is_reported_with_its_line(app, tree):
    line = set_refresher(tree, "no-such-course")
    result = check(app, tree)
    assert result.exit_code == 1
    assert (
        f'{ORIGINAL}/course.yml:{line}: refresher "no-such-course" has no folder '
        "no-such-course/ with a course.yml" in result.output
    )


def test_a_course_cannot_be_its_own_refresher(app, tree):
    line = set_refresher(tree, ORIGINAL)
    result = check(app, tree)
    assert result.exit_code == 1
    assert f'{ORIGINAL}/course.yml:{line}: refresher "{ORIGINAL}" is this course itself' in (
        result.output
    )


def test_a_refresher_that_is_not_a_slug_is_reported(app, tree):
    line = set_refresher(tree, "Not A Slug")
    result = check(app, tree)
    assert result.exit_code == 1
    assert f"{ORIGINAL}/course.yml:{line}: " in result.output


def test_sync_stores_the_refresher(app, synced_courses):
    with app.app_context():
        rows = dict(db.session.execute(select(Course.slug, Course.refresher)).all())
    assert rows[ORIGINAL] == REFRESHER
    assert rows[REFRESHER] is None
    assert rows["asi-specialist"] is None
