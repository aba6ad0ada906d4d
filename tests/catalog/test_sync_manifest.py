"""`flask courses sync` reads only what changed since the last sync (catalog/manifest.py).

Parsing is counted with spies on the file loaders, never timed."""

import os
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from educational.catalog import manifest
from educational.catalog.content import folder, load_tree
from educational.catalog.content import tree as tree_module
from educational.catalog.models import Course, Module, Question
from educational.core.db import db

COURSES = Path(__file__).parents[2] / "courses"
SPECIALIST = "asi-specialist"
#: Not named by scheme.yml, so it can be removed without breaking the tree.
OPTIONAL = "coc-v2-auditors"


@pytest.fixture
def tree(tmp_path):
    """A copy of the starter curriculum, to edit."""
    root = tmp_path / "content"
    shutil.copytree(COURSES, root, ignore=shutil.ignore_patterns("README.md"))
    # Written an hour ago by the test's clock (which starts at noon: tests/conftest.py), not
    # at the checkout's real time, which the sync would see as "just now" or in the future.
    written = time.time_ns() - 3600 * 10**9
    for path in root.rglob("*"):
        os.utime(path, ns=(written, written))
    return root


@pytest.fixture
def parsed(monkeypatch):
    """Every content file a loader parses (paths relative to the content folder)."""
    seen: Counter = Counter()

    def spy(function):
        def wrapper(path, *args, **kwargs):
            seen[f"{path.parent.name}/{path.name}"] += 1
            return function(path, *args, **kwargs)

        return wrapper

    for module, name in (
        (folder, "load_course_spec"),
        (folder, "load_module"),
        (folder, "load_quiz"),
        (tree_module, "load_course_spec"),
    ):
        monkeypatch.setattr(module, name, spy(getattr(module, name)))
    return seen


def sync(app, path, *options):
    return app.test_cli_runner().invoke(args=["courses", "sync", str(path), *options])


def course_files(root: Path, slug: str) -> set[str]:
    return {
        f"{slug}/{path.name}"
        for path in (root / slug).iterdir()
        if path.suffix in (".md", ".yml") and path.is_file()
    }


def snapshot(app, root: Path):
    """The catalogue rows and the manifest, to compare before and after a failed sync."""
    with app.app_context():
        rows = sorted(
            db.session.execute(select(Course.slug, Course.content_hash, Course.retired_at)).all()
        )
        questions = sorted(db.session.execute(select(Question.id, Question.content_hash)).all())
        modules = sorted(db.session.execute(select(Module.id, Module.content_hash)).all())
        row = manifest.load(root)
        return rows, questions, modules, row.data if row else None


def test_an_unchanged_rerun_parses_no_course_file(app, tree, parsed):
    first = sync(app, tree)
    assert first.exit_code == 0, first.output
    assert "read all" in first.output
    assert parsed  # the first sync reads everything
    parsed.clear()

    second = sync(app, tree)
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert "read 0 changed courses" in second.output
    assert not parsed


def test_touching_a_file_without_changing_it_parses_nothing_and_refreshes_its_entry(
    app, tree, parsed
):
    assert sync(app, tree).exit_code == 0
    parsed.clear()
    module = next((tree / SPECIALIST).glob("01-*.md"))
    stat = module.stat()
    # An older mtime than the sync saw (a "now" one would be too recent to trust next time).
    mtime = stat.st_mtime_ns - 3600 * 10**9
    assert mtime < time.time_ns() - 2 * 10**9
    os.utime(module, ns=(mtime, mtime))

    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert not parsed
    with app.app_context():
        entry = manifest.load(tree).data["files"][f"{SPECIALIST}/{module.name}"]
    assert entry[:2] == [stat.st_size, mtime]


def test_changing_one_module_rereads_that_course_whole_and_no_other(app, tree, parsed):
    assert sync(app, tree).exit_code == 0
    parsed.clear()
    module = next(path for path in (tree / SPECIALIST).glob("02-*.md") if path.suffixes == [".md"])
    module.write_text(module.read_text() + "\nOne more paragraph.\n")

    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert f"changed  module {SPECIALIST}/{module.stem}" in result.output
    assert "read 1 changed courses" in result.output
    # Every file of the course, each once; nothing of any other course.
    assert set(parsed) == course_files(tree, SPECIALIST)
    assert set(parsed.values()) == {1}


def test_an_error_in_a_changed_course_names_the_line_and_writes_nothing(app, tree):
    assert sync(app, tree).exit_code == 0
    before = snapshot(app, tree)
    module = next(path for path in (tree / SPECIALIST).glob("02-*.md") if path.suffixes == [".md"])
    module.write_text(module.read_text() + "\nOne more paragraph.\n")  # a valid change...
    quiz = tree / SPECIALIST / "final-exam.quiz.yml"
    source = quiz.read_text()
    assert "type: single" in source
    quiz.write_text(source.replace("type: single", "type: essay", 1))  # ...and a wrong one
    line = source[: source.index("type: single")].count("\n") + 1

    result = sync(app, tree)
    assert result.exit_code == 1
    assert re.search(rf"^{SPECIALIST}/final-exam\.quiz\.yml:{line}: .*essay", result.output, re.M)
    assert "nothing was written" in result.output
    assert snapshot(app, tree) == before

    # Fixed, the next sync picks up the valid change: the failed one recorded nothing.
    quiz.write_text(source)
    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert f"changed  module {SPECIALIST}/{module.stem}" in result.output


def test_a_scheme_change_rechecks_every_course_against_it(app, tree, parsed):
    assert sync(app, tree).exit_code == 0
    parsed.clear()
    scheme = tree / "scheme.yml"
    original = scheme.read_text()
    scheme.write_text(original.replace("\nname:", "\n# a comment\nname:", 1))
    assert scheme.read_text() != original

    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert "course.yml re-checked (scheme.yml changed)" in result.output
    # Each course's course.yml, and nothing else.
    slugs = {path.parent.name for path in tree.glob("*/course.yml")}
    assert parsed == Counter({f"{slug}/course.yml": 1 for slug in slugs})

    # A scheme change that breaks an unchanged course is reported at the course's line.
    course = (tree / "ps-v3-auditors" / "course.yml").read_text()
    line = course[: course.index("standard:")].count("\n") + 1
    scheme.write_text(original.replace('{version: "3", published', '{version: "3b", published'))
    result = sync(app, tree)
    assert result.exit_code == 1
    assert re.search(rf"^ps-v3-auditors/course\.yml:{line}: .*version", result.output, re.M)


def test_a_deleted_course_folder_is_retired_and_the_others_are_not_read(app, tree, parsed):
    assert sync(app, tree).exit_code == 0
    parsed.clear()
    shutil.rmtree(tree / OPTIONAL)

    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert f"retired  course {OPTIONAL}" in result.output
    assert all(name.endswith("/course.yml") for name in parsed)  # re-checked only
    with app.app_context():
        retired = db.session.scalar(select(Course).where(Course.slug == OPTIONAL))
        assert retired.retired_at is not None
        assert OPTIONAL not in manifest.load(tree).data["courses"]

    # Put back, it is read and live again.
    shutil.copytree(COURSES / OPTIONAL, tree / OPTIONAL)
    parsed.clear()
    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert course_files(tree, OPTIONAL) <= set(parsed)
    with app.app_context():
        assert db.session.scalar(select(Course).where(Course.slug == OPTIONAL)).retired_at is None


def test_check_still_finds_a_problem_in_an_unchanged_file(app, tree, parsed):
    assert sync(app, tree).exit_code == 0
    course = tree / SPECIALIST / "course.yml"
    stat = course.stat()
    # Same size and mtime, different content: the manifest cannot see it; check reads it.
    text = course.read_text()
    broken = text.replace("required_for: [specialist]", "required_for: [specialisX]")
    assert len(broken) == len(text)
    course.write_text(broken)
    os.utime(course, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    check = app.test_cli_runner().invoke(args=["courses", "check", str(tree)])
    assert check.exit_code == 1
    assert f"{SPECIALIST}/course.yml:" in check.output and "specialisX" in check.output

    assert "nothing changed" in sync(app, tree).output  # the manifest trusted size and mtime
    full = sync(app, tree, "--full")  # --full reads everything again
    assert full.exit_code == 1
    assert "specialisX" in full.output


def test_a_different_reader_code_reads_everything(app, tree, parsed, monkeypatch):
    assert sync(app, tree).exit_code == 0
    parsed.clear()
    monkeypatch.setattr(manifest, "code_fingerprint", lambda: "another version of the code")
    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert "read all" in result.output and "nothing changed" in result.output
    assert course_files(tree, SPECIALIST) <= set(parsed)


def test_a_course_changed_in_the_database_is_read_again(app, tree, parsed):
    assert sync(app, tree).exit_code == 0
    parsed.clear()
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SPECIALIST))
        course.retired_at = course.synced_at
        db.session.commit()
    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert "read 1 changed courses" in result.output
    assert set(parsed) == course_files(tree, SPECIALIST)
    with app.app_context():
        assert db.session.scalar(select(Course).where(Course.slug == SPECIALIST)).retired_at is None


def test_reading_courses_in_parallel_gives_the_same_tree(tree, monkeypatch):
    serial = load_tree(tree)
    monkeypatch.setattr(tree_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(tree_module.os, "cpu_count", lambda: 2)
    parallel = load_tree(tree, jobs=2)
    assert serial.ok and parallel.ok
    assert {slug: c.content_hash for slug, c in parallel.tree.courses.items()} == {
        slug: c.content_hash for slug, c in serial.tree.courses.items()
    }
    (tree / SPECIALIST / "course.yml").write_text("title: [")
    assert load_tree(tree, jobs=2).problems == load_tree(tree).problems


def test_a_parallel_sync_stores_what_a_serial_one_does(app, tree, monkeypatch):
    from educational.catalog.rendering import render_markdown

    monkeypatch.setattr(tree_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(tree_module.os, "cpu_count", lambda: 2)
    result = sync(app, tree, "--jobs", "2")
    assert result.exit_code == 0, result.output
    with app.app_context():
        modules = db.session.scalars(select(Module)).all()
        assert modules
        for module in modules:
            assert module.body_html == render_markdown(module.body)
        courses = db.session.scalars(select(Course)).all()
        assert all(course.summary_html == render_markdown(course.summary) for course in courses)


def test_a_missing_folder_is_a_problem_not_a_traceback(app, tmp_path):
    result = sync(app, tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "is not a folder" in result.output and "Traceback" not in result.output
