"""A valid content tree loads into the expected structure, with every default filled in."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from educational.catalog.content import (
    ContentTree,
    CourseText,
    Draw,
    ModuleText,
    QuizSettings,
    Requirement,
    ReviewSettings,
    StandardVersion,
    load_tree,
)

FIXTURE = Path(__file__).parent / "content_fixtures" / "valid"


@pytest.fixture(scope="module")
def tree() -> ContentTree:
    result = load_tree(FIXTURE)
    assert result.problems == []
    assert result.tree is not None
    return result.tree


def test_the_scheme(tree: ContentTree) -> None:
    scheme = tree.scheme

    assert (scheme.code, scheme.name, scheme.default_language) == ("ASI", "Test Scheme", "en")
    assert scheme.languages == ("en", "fr", "de")
    assert (scheme.validity_years, scheme.reminder_days, scheme.four_eyes) == (3, (90, 30, 7), True)
    assert list(scheme.standards) == ["PS", "COC"]
    assert scheme.standards["PS"].sectors == ("mining", "smelting")
    assert scheme.standards["PS"].versions == (
        StandardVersion("1", date(2014, 12, 1), 0),
        StandardVersion("2", date(2022, 5, 19), 12),
    )
    assert scheme.standards["COC"].sectors == ("smelting",)
    assert {code: sector.name for code, sector in scheme.sectors.items()} == {
        "mining": "Mining",
        "smelting": "Smelting",
    }
    assert list(scheme.specialist_areas) == ["human-rights"]


def test_the_roles_and_their_requirements(tree: ContentTree) -> None:
    roles = tree.scheme.roles

    assert list(roles) == ["auditor", "lead_auditor", "specialist"]
    assert roles["lead_auditor"].includes == ("auditor",)
    assert roles["auditor"].requirements[0] == Requirement("course", {"course": "basics"})
    assert roles["auditor"].requirements[3] == Requirement(
        "audits", {"min_audits": 4, "min_days": 20, "window_years": 3, "as_role": None}
    )
    assert roles["specialist"].requirements == (Requirement("specialist_area_evidence", {}),)
    lead = tree.scheme.role_requirements("lead_auditor")
    assert [requirement.kind for requirement in lead] == [
        "course",
        "standard_course",
        "qualification",
        "audits",
        "sector_experience",
        "country_experience",
        "audits",
    ]
    assert lead[-1].params["as_role"] == "lead"


def test_the_course(tree: ContentTree) -> None:
    course = tree.courses["basics"]

    assert (course.slug, course.title, course.version) == (
        "basics",
        "Basics for auditors",
        "2024.1",
    )
    assert course.summary == "What every auditor needs to know."
    assert (course.language, course.languages, course.estimated_minutes) == ("en", ("en", "fr"), 45)
    assert (course.standard_code, course.standard_version) == ("PS", "2")
    assert course.required_for == ("auditor", "lead_auditor")
    assert course.translations == {
        "fr": CourseText("Les bases pour auditeurs", "Ce que tout auditeur doit savoir.")
    }
    assert (course.exam, course.certificate_validity_months) == ("final-exam", 36)
    assert list(course.quizzes) == ["final-exam", "intro-check"]
    png = (FIXTURE / "basics" / "images" / "path.png").read_bytes()
    assert course.images == {"images/path.png": hashlib.sha256(png).hexdigest()}
    assert (tree.module_count, tree.question_count) == (2, 8)


def test_the_modules_in_course_order_without_front_matter(tree: ContentTree) -> None:
    intro, method = tree.courses["basics"].modules

    assert (intro.name, intro.position, intro.title) == ("01-intro", 1, "Introduction")
    assert (intro.estimated_minutes, intro.quiz) == (20, "intro-check")
    assert intro.body.startswith("# Introduction\n\nThe accreditation path:\n")
    assert "---" not in intro.body
    assert intro.translations["fr"] == ModuleText(
        "Introduction (fr)", "# Introduction\n\nLe parcours :\n\n![Le parcours](images/path.png)\n"
    )
    assert (method.name, method.position, method.quiz) == ("02-method", 2, None)
    assert method.translations["fr"].title == "Méthode"


def test_quiz_settings_default_when_left_out(tree: ContentTree) -> None:
    quiz = tree.courses["basics"].quizzes["intro-check"]

    assert quiz.settings == QuizSettings(
        draw=(),
        shuffle_questions=True,
        shuffle_options=True,
        time_limit_minutes=None,
        max_attempts=0,
        cooldown_minutes=0,
        pass_mark=80,
        grading="highest",
        review=ReviewSettings(score=True, correctness=True, feedback=True, correct_answers=False),
    )
    assert quiz.title_translations == {"fr": "Vérifiez vos connaissances"}


def test_quiz_settings_as_given(tree: ContentTree) -> None:
    quiz = tree.courses["basics"].quizzes["final-exam"]

    assert quiz.settings == QuizSettings(
        draw=(Draw("choice", 2), Draw("open", 3)),
        time_limit_minutes=30,
        max_attempts=3,
        pass_mark=75,
        review=ReviewSettings(correct_answers=True),
    )
    assert [(pool.id, pool.title) for pool in quiz.pools] == [
        ("choice", "Choice questions"),
        ("open", ""),
    ]
    assert quiz.pools[0].title_translations == {"fr": "Questions à choix"}


def test_questions_are_normalised(tree: ContentTree) -> None:
    questions = {q.id: q for q in tree.courses["basics"].quizzes["final-exam"].questions}

    single = questions["q-single"]
    assert (single.type, single.points, single.feedback) == ("single", 1, "Custody is in its name.")
    assert single.definition["options"][1] == {
        "id": "b",
        "text": "Chain of Custody Standard",
        "correct": True,
        "feedback": "Yes.",
    }
    assert questions["q-multiple"].points == 2
    assert questions["q-multiple"].definition["weighted"] is False
    assert questions["q-numeric"].definition["answers"] == [
        {"value": 11, "tolerance": 0, "weight": 100, "feedback": "Eleven."},
        {"value": 10, "tolerance": 0.5, "weight": 50, "feedback": ""},
    ]
    assert questions["q-short"].definition == {
        "case_sensitive": False,
        "answers": [
            {"text": "Aluminium", "pattern": None, "weight": 100, "feedback": ""},
            {"text": None, "pattern": "alumin(i)?um", "weight": 80, "feedback": "Spelling."},
        ],
    }
    assert questions["q-matching"].definition["distractors"] == ["Code of Conduct"]
    assert [item["id"] for item in questions["q-ordering"].definition["items"]] == [
        "plan",
        "audit",
        "report",
    ]


def test_question_translations_hold_the_whole_translated_definition(tree: ContentTree) -> None:
    questions = {q.id: q for q in tree.courses["basics"].quizzes["final-exam"].questions}
    matching = questions["q-matching"]

    assert matching.text_for("fr") == "Associez les codes."
    assert matching.text_for("de") == "Match the codes."  # no such translation: the original
    assert matching.definition_for("fr")["pairs"][1] == {
        "id": "coc",
        "prompt": "COC",
        "match": "Chaîne de contrôle",
    }
    assert questions["q-single"].feedback_for("fr") == "C'est dans son nom."


def test_a_course_without_optional_fields_gets_defaults(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    root.mkdir()
    (root / "scheme.yml").write_text(
        "code: X\nname: X\ndefault_language: en\nlanguages: [en]\nvalidity_years: 1\n"
    )
    (root / "mini").mkdir()
    (root / "mini" / "course.yml").write_text(
        "title: Mini\nsummary: Small.\nversion: '1'\nlanguage: en\nmodules: [01-only]\n"
    )
    (root / "mini" / "01-only.md").write_text("---\ntitle: Only\nestimated_minutes: 7\n---\nHi\n")

    result = load_tree(root)

    assert result.problems == []
    assert result.tree is not None
    course = result.tree.courses["mini"]
    assert (course.languages, course.estimated_minutes, course.required_for) == (("en",), 7, ())
    assert (course.standard_code, course.standard_version, course.exam) == (None, None, None)
    assert (course.certificate_validity_months, course.translations, course.images) == (
        None,
        {},
        {},
    )
    scheme = result.tree.scheme
    assert (scheme.reminder_days, scheme.four_eyes, scheme.standards, scheme.roles) == (
        (),
        False,
        {},
        {},
    )


def test_missing_translations_are_allowed_and_fall_back(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    (root / "basics" / "02-method.fr.md").unlink()
    (root / "basics" / "intro-check.quiz.fr.yml").unlink()
    course_yml = root / "basics" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").split("translations:")[0])

    result = load_tree(root)

    assert result.problems == []
    assert result.tree is not None
    course = result.tree.courses["basics"]
    assert course.translations == {}
    assert list(course.modules[1].translations) == []
    question = course.quizzes["intro-check"].questions[0]
    assert question.translations == {}
    assert question.text_for("fr") == "An accreditation lasts three years."
