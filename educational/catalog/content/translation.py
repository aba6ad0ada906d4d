"""Checking translations against their original, and merging their texts in.

A translation repeats the original's structure (the same pools, question ids, types, option
ids, answers, weights, in the same order) and only its texts are taken. The comparison uses
each question type's ``skeleton``: the definition without its texts.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from educational.catalog.content import questiontypes
from educational.catalog.content.model import ModuleText, Question, QuestionTranslation, Quiz
from educational.catalog.content.module import ModuleSource
from educational.catalog.content.problems import Report
from educational.catalog.content.quiz import QuizSource

ONLY_TEXT = "a translation may only change the texts"


def merge_quiz(
    original: QuizSource, translations: dict[str, tuple[QuizSource, Report]], file_name: str
) -> Quiz:
    """The original quiz with the texts of every translation that matches its structure."""
    quiz = original.quiz
    question_texts: dict[str, dict[str, QuestionTranslation]] = {}
    pool_titles: dict[str, dict[str, str]] = {}
    titles: dict[str, str] = {}
    for language, (source, report) in sorted(translations.items()):
        titles[language] = source.quiz.title
        _check_settings(original, source, report, file_name)
        for pool_id, texts in _matching_pools(original, source, report, file_name).items():
            pool_titles.setdefault(pool_id, {})[language] = texts
        lines = dict(source.question_lines)
        translated = {question.id: question for question in source.quiz.questions}
        valid = original.valid_questions & source.valid_questions
        for question in original.quiz.questions:
            other = translated.get(question.id)
            # A question with problems of its own is left alone: comparing it adds only noise.
            if other is None or question.id not in valid:
                continue
            if not _same_structure(question, other, lines.get(question.id, 1), report):
                continue
            question_texts.setdefault(question.id, {})[language] = QuestionTranslation(
                other.text, other.feedback, other.definition
            )
    pools = tuple(
        dataclasses.replace(
            pool,
            title_translations={
                language: title for language, title in pool_titles.get(pool.id, {}).items() if title
            },
            questions=tuple(
                # Untranslated questions stay as they are (a copy would hash them again).
                dataclasses.replace(question, translations=question_texts[question.id])
                if question.id in question_texts
                else question
                for question in pool.questions
            ),
        )
        for pool in quiz.pools
    )
    return dataclasses.replace(quiz, pools=pools, title_translations=titles)


def _check_settings(original: QuizSource, source: QuizSource, report: Report, name: str) -> None:
    if source.settings_line is not None and source.quiz.settings != original.quiz.settings:
        report.add(
            source.settings_line,
            f"the settings differ from the original {name}; leave them out of a translation "
            "(the original's apply)",
        )


def _matching_pools(
    original: QuizSource, source: QuizSource, report: Report, name: str
) -> dict[str, str]:
    """The translated titles of the pools whose question lists match the original's."""
    ours = [pool.id for pool in original.quiz.pools]
    theirs = [pool.id for pool in source.quiz.pools]
    if "" in ours or "" in theirs:
        return {}
    if ours != theirs:
        report.add(
            source.pools_line,
            f"the pools ({', '.join(theirs)}) differ from those of the original {name} "
            f"({', '.join(ours)}); {ONLY_TEXT}",
        )
        return {}
    titles = {}
    for mine, other in zip(original.quiz.pools, source.quiz.pools, strict=True):
        mine_ids = [question.id for question in mine.questions]
        other_ids = [question.id for question in other.questions]
        if "" in mine_ids or "" in other_ids:
            continue  # an invalid id is reported already; comparing lists would only add noise
        if mine_ids != other_ids:
            report.add(
                source.pool_lines.get(other.id, source.pools_line),
                f'pool "{other.id}" has the questions {", ".join(other_ids)} here but '
                f"{', '.join(mine_ids)} in the original; {ONLY_TEXT}",
            )
            continue
        titles[mine.id] = other.title
    return titles


def _same_structure(question: Question, other: Question, line: int, report: Report) -> bool:
    qtype = questiontypes.QUESTION_TYPES.get(question.type)
    if qtype is None:
        return False
    mine = {"type": question.type, "points": question.points, **qtype.skeleton(question.definition)}
    theirs: dict[str, Any] = {"type": other.type, "points": other.points}
    if other.type == question.type:
        theirs.update(qtype.skeleton(other.definition))
    difference = first_difference(mine, theirs)
    if difference is None:
        return True
    report.add(
        line,
        f'question "{question.id}" differs from the original at {difference}; {ONLY_TEXT}',
    )
    return False


def first_difference(mine: Any, theirs: Any, path: str = "") -> str | None:
    """Where two skeletons first differ, as ``options.2.correct (original: true, here: false)``."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for key in [*mine, *(key for key in theirs if key not in mine)]:
            if key not in mine or key not in theirs:
                presence = f"{_present(mine, key)} in the original, {_present(theirs, key)} here"
                return f"{path}{key} ({presence})"
            found = first_difference(mine[key], theirs[key], f"{path}{key}.")
            if found:
                return found
        return None
    if isinstance(mine, list) and isinstance(theirs, list):
        if len(mine) != len(theirs):
            return f"{path.rstrip('.')} (original: {len(mine)} items, here: {len(theirs)})"
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True), start=1):
            found = first_difference(a, b, f"{path}{index}.")
            if found:
                return found
        return None
    if mine == theirs and type(mine) is type(theirs):
        return None
    return f"{path.rstrip('.')} (original: {_show(mine)}, here: {_show(theirs)})"


def _present(mapping: dict[str, Any], key: str) -> str:
    return "present" if key in mapping else "missing"


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def module_translation(
    original: ModuleSource, translation: ModuleSource, report: Report, file_name: str
) -> ModuleText | None:
    """The translated title and body, or None after reporting a front matter mismatch."""
    ok = True
    if translation.quiz is not None and translation.quiz != original.quiz:
        report.add(
            translation.quiz_line,
            f'quiz "{translation.quiz}" differs from the original {file_name}\'s '
            f"({_show(original.quiz)}); leave it out or repeat the original's",
        )
        ok = False
    minutes = translation.estimated_minutes
    if minutes is not None and minutes != original.estimated_minutes:
        report.add(
            translation.estimated_minutes_line,
            f"estimated_minutes {minutes} differs from the original {file_name}'s "
            f"({_show(original.estimated_minutes)}); leave it out or repeat the original's",
        )
        ok = False
    return ModuleText(translation.title, translation.body) if ok else None
