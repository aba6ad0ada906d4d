"""Content hashes change exactly where the content changed, so the sync can tell."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from educational.catalog.content import ContentTree, Course, load_tree

FIXTURE = Path(__file__).parent / "content_fixtures" / "valid"


def load(root: Path) -> ContentTree:
    result = load_tree(root)
    assert result.problems == []
    assert result.tree is not None
    return result.tree


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def question_hashes(course: Course) -> dict[str, str]:
    return {question.id: question.content_hash for question in course.questions}


def test_hashes_are_sha256_hex_and_stable_across_loads_and_folders(tmp_path: Path) -> None:
    first = load(FIXTURE).courses["basics"]
    second = load(copy_fixture(tmp_path)).courses["basics"]

    assert re.fullmatch(r"[0-9a-f]{64}", first.content_hash)
    assert first.content_hash == second.content_hash
    assert question_hashes(first) == question_hashes(second)
    assert [m.content_hash for m in first.modules] == [m.content_hash for m in second.modules]
    assert {n: q.content_hash for n, q in first.quizzes.items()} == {
        n: q.content_hash for n, q in second.quizzes.items()
    }


def test_changing_a_question_text_changes_that_question_its_quiz_and_course(
    tmp_path: Path,
) -> None:
    before = load(FIXTURE).courses["basics"]
    root = copy_fixture(tmp_path)
    edit(root / "basics" / "final-exam.quiz.yml", "How many principles", "How many criteria")

    after = load(root).courses["basics"]

    old, new = question_hashes(before), question_hashes(after)
    assert [qid for qid in old if old[qid] != new[qid]] == ["q-numeric"]
    assert after.quizzes["final-exam"].content_hash != before.quizzes["final-exam"].content_hash
    assert after.quizzes["intro-check"].content_hash == before.quizzes["intro-check"].content_hash
    assert [m.content_hash for m in after.modules] == [m.content_hash for m in before.modules]
    assert after.content_hash != before.content_hash


def test_changing_a_translation_changes_the_question_hash(tmp_path: Path) -> None:
    before = question_hashes(load(FIXTURE).courses["basics"])
    root = copy_fixture(tmp_path)
    edit(root / "basics" / "final-exam.quiz.fr.yml", "Nommez le métal léger.", "Quel métal ?")

    after = question_hashes(load(root).courses["basics"])

    assert [qid for qid in before if before[qid] != after[qid]] == ["q-short"]


def test_reordering_modules_changes_the_course_but_not_the_modules(tmp_path: Path) -> None:
    before = load(FIXTURE).courses["basics"]
    root = copy_fixture(tmp_path)
    edit(
        root / "basics" / "course.yml", "  - 01-intro\n  - 02-method", "  - 02-method\n  - 01-intro"
    )

    after = load(root).courses["basics"]

    assert [(m.name, m.position) for m in after.modules] == [("02-method", 1), ("01-intro", 2)]
    assert {m.name: m.content_hash for m in after.modules} == {
        m.name: m.content_hash for m in before.modules
    }
    assert after.content_hash != before.content_hash


def test_a_module_body_and_an_image_change_the_course(tmp_path: Path) -> None:
    before = load(FIXTURE).courses["basics"]
    root = copy_fixture(tmp_path)
    edit(root / "basics" / "02-method.md", "Plan, do, check, act.", "Plan, do, check, adjust.")
    changed_body = load(root).courses["basics"]
    (root / "basics" / "images" / "path.png").write_bytes(b"another picture")
    changed_image = load(root).courses["basics"]

    assert changed_body.modules[0].content_hash == before.modules[0].content_hash
    assert changed_body.modules[1].content_hash != before.modules[1].content_hash
    assert changed_body.content_hash != before.content_hash
    assert changed_image.images != changed_body.images
    assert changed_image.content_hash != changed_body.content_hash
