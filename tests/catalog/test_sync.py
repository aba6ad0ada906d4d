"""`flask courses sync`: idempotent, versioned, retiring; and the starter curriculum."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from educational.catalog.models import Course, Enrolment, Module, ModuleProgress, Question, Quiz
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
    return root


def sync(app, path):
    return app.test_cli_runner().invoke(args=["courses", "sync", str(path)])


def test_starter_curriculum_syncs_cleanly_and_idempotently(app):
    first = sync(app, COURSES)
    assert first.exit_code == 0, first.output
    assert "retired 0" in first.output
    with app.app_context():
        slugs = set(db.session.scalars(select(Course.slug)))
        assert {"asi-auditor", "ps-v3-auditors", "coc-v2-auditors", "asi-specialist"} <= slugs
        auditor = db.session.scalar(select(Course).where(Course.slug == "asi-auditor"))
        assert len(auditor.live_modules) == 9
        exam = db.session.scalar(
            select(Quiz).where(Quiz.course_id == auditor.id, Quiz.name == "final-exam")
        )
        assert sum(len(pool["questions"]) for pool in exam.pools) >= 40
        assert sum(d["count"] for d in exam.settings["draw"]) == 20
        assert exam.settings["pass_mark"] == 80
        counts = (db.session.query(Question).count(), db.session.query(Module).count())
    second = sync(app, COURSES)
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    with app.app_context():
        assert (db.session.query(Question).count(), db.session.query(Module).count()) == counts


def test_check_reports_ok_for_the_starter_curriculum(app):
    result = app.test_cli_runner().invoke(args=["courses", "check", str(COURSES)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 5 courses")


def test_changed_question_becomes_a_new_version_and_the_old_one_stays(app, tree):
    assert sync(app, tree).exit_code == 0
    with app.app_context():
        old = db.session.scalar(
            select(Question)
            .join(Course)
            .where(Course.slug == SPECIALIST, Question.is_current)
            .order_by(Question.id)
        )
        old_id, key, old_text = old.id, old.key, old.text
    quiz_file = next(
        path for path in (tree / SPECIALIST).glob("*.quiz.yml") if f"id: {key}" in path.read_text()
    )
    source = quiz_file.read_text()
    first_line = old_text.splitlines()[0]
    assert first_line in source
    quiz_file.write_text(source.replace(first_line, first_line + " (revised)", 1))

    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert f"changed  question {SPECIALIST}/{key}" in result.output
    with app.app_context():
        rows = db.session.scalars(
            select(Question).where(Question.key == key).order_by(Question.version)
        ).all()
        assert [(r.version, r.is_current) for r in rows] == [(1, False), (2, True)]
        assert rows[0].id == old_id and rows[0].text == old_text
        assert rows[1].text.startswith(first_line + " (revised)")
        # Only that question changed.
        total = db.session.query(Question).count()
        assert total == db.session.query(Question).filter(Question.is_current).count() + 1


def test_removed_module_and_course_are_retired_with_history_kept(app, tree, make_user):
    assert sync(app, tree).exit_code == 0
    learner = make_user()
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == SPECIALIST))
        module = course.live_modules[-1]
        enrolment = Enrolment(user_id=learner.id, course_id=course.id, language="en")
        db.session.add(enrolment)
        db.session.flush()
        db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id))
        db.session.commit()
        module_name = module.name

    # Drop the last module from the course.
    course_yml = tree / SPECIALIST / "course.yml"
    course_yml.write_text(course_yml.read_text().replace(f"  - {module_name}\n", ""))
    for path in (tree / SPECIALIST).glob(f"{module_name}*"):
        path.unlink()
    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert f"retired  module {SPECIALIST}/{module_name}" in result.output
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.name == module_name))
        assert module.retired_at is not None
        assert db.session.query(ModuleProgress).count() == 1

    # Drop a whole course.
    shutil.rmtree(tree / OPTIONAL)
    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    assert f"retired  course {OPTIONAL}" in result.output
    with app.app_context():
        assert db.session.scalar(select(Course).where(Course.slug == OPTIONAL)).retired_at
        assert db.session.query(Enrolment).count() == 1
    assert f"/courses/{OPTIONAL}" not in app.test_client().get("/courses").get_data(as_text=True)
    assert app.test_client().get(f"/courses/{OPTIONAL}").status_code == 404


def test_invalid_content_writes_nothing_and_names_the_line(app, tree):
    (tree / SPECIALIST / "course.yml").write_text(
        (tree / SPECIALIST / "course.yml")
        .read_text()
        .replace("required_for: [specialist]", "required_for: [wizard]")
    )
    result = sync(app, tree)
    assert result.exit_code == 1
    assert "asi-specialist/course.yml:" in result.output
    assert "wizard" in result.output
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.query(Course).count() == 0


def test_unsafe_markdown_is_rendered_inert(app, tree, make_user, client, auth):
    module_file = next(p for p in (tree / SPECIALIST).glob("01-*.md") if p.suffixes == [".md"])
    module_file.write_text(
        module_file.read_text()
        + "\n<script>alert('x')</script>\n[click](javascript:alert(1))\n"
        + '<p onclick="alert(1)">hi</p><svg onload=alert(1)></svg>\n'
    )
    result = sync(app, tree)
    assert result.exit_code == 0, result.output
    user = make_user()
    auth.login(user.email)
    client.post(f"/courses/{SPECIALIST}/enrol")
    page = client.get(f"/courses/{SPECIALIST}/modules/{module_file.stem}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onclick" not in page and "onload" not in page
