"""<quiz>.quiz.yml and its translations: settings, pools and questions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from educational.catalog.content import questiontypes
from educational.catalog.content.fields import Fields, check_unique, peek_text, read_fields
from educational.catalog.content.model import (
    Draw,
    Pool,
    Question,
    Quiz,
    QuizSettings,
    ReviewSettings,
)
from educational.catalog.content.problems import Report
from educational.catalog.content.yamlsource import Node, describe, quote

QUESTION_KEYS = ("id", "type", "points", "text", "feedback")
SETTINGS_KEYS = (
    "draw",
    "shuffle_questions",
    "shuffle_options",
    "time_limit_minutes",
    "max_attempts",
    "cooldown_minutes",
    "pass_mark",
    "grading",
    "review",
)
REVIEW_KEYS = ("score", "correctness", "feedback", "correct_answers")
GRADING_METHODS = ("highest", "last")


@dataclass(frozen=True)
class QuizSource:
    """A parsed quiz file, with the lines a translation check or a cross-check points at."""

    quiz: Quiz
    #: Every question id with the line of its question, in file order (repeats included).
    question_lines: list[tuple[str, int]]
    #: Ids of the questions that had no problem of their own.
    valid_questions: set[str]
    pool_lines: dict[str, int]
    pools_line: int
    #: Line of the "settings" key, or None when the file has none.
    settings_line: int | None


def load_quiz(path: Path, report: Report, name: str) -> QuizSource | None:
    top = read_fields(
        path,
        report,
        "the quiz",
        allowed=("title", "settings", "pools"),
        required=("title", "pools"),
    )
    if top is None:
        return None
    question_lines: list[tuple[str, int]] = []
    valid: set[str] = set()
    pools: list[Pool] = []
    pool_lines: list[tuple[str, int]] = []
    for index, pool_node in enumerate(top.items("pools", min_items=1), start=1):
        pool_id = peek_text(pool_node, "id")
        pool = Fields(
            pool_node,
            report,
            f"pool {quote(pool_id)}" if pool_id else f"pool {index}",
            allowed=("id", "title", "questions"),
            required=("id", "questions"),
        )
        questions = []
        for question_node in pool.items("questions", min_items=1):
            before = report.count
            question, line = _question(question_node, report, pool.ident("id") or str(index))
            questions.append(question)
            question_lines.append((question.id, line))
            if report.count == before:
                valid.add(question.id)
        pools.append(Pool(pool.ident("id"), pool.text("title"), tuple(questions)))
        pool_lines.append((pools[-1].id, pool.line_of("id")))
    check_unique(
        [(pool_id, line) for pool_id, line in pool_lines if pool_id],
        report,
        "pool id",
        "pool ids must be unique within the quiz",
    )
    settings = _settings(top, pools)
    quiz = Quiz(name, top.text("title"), settings, tuple(pools))
    return QuizSource(
        quiz,
        question_lines,
        valid,
        dict(pool_lines),
        top.line_of("pools"),
        top.line_of("settings") if top.has("settings") else None,
    )


def _question(node: Node, report: Report, pool: str) -> tuple[Question, int]:
    question_id = peek_text(node, "id")
    label = f"question {quote(question_id)}" if question_id else f'a question of pool "{pool}"'
    type_name = peek_text(node, "type")
    qtype = questiontypes.QUESTION_TYPES.get(type_name or "")
    fields = Fields(
        node,
        report,
        label,
        # An unknown type's own keys are unknown too; one problem (the type) is enough.
        allowed=(*QUESTION_KEYS, *qtype.keys) if qtype else None,
        required=("id", "type", "text", *(qtype.required if qtype else ())),
    )
    type_node = fields.node("type")
    if qtype is None and type_node is not None:
        shown = quote(type_name) if type_name is not None else describe(type_node)
        report.add(
            fields.line_of("type"),
            f"{label} has the unknown type {shown}; "
            f"known types: {', '.join(questiontypes.QUESTION_TYPES)}",
        )
    question = Question(
        id=fields.ident("id"),
        type=type_name or "",
        points=fields.number("points", 1, minimum=0),
        text=fields.text("text"),
        feedback=fields.text("feedback"),
        definition=qtype.validate(fields, label) if qtype else {},
    )
    return question, fields.line_of("id")


def _settings(top: Fields, pools: list[Pool]) -> QuizSettings:
    settings = top.mapping("settings", "the settings", allowed=SETTINGS_KEYS)
    if settings is None:
        return QuizSettings()
    defaults = QuizSettings()
    grading = settings.text("grading", defaults.grading)
    if grading not in GRADING_METHODS:
        settings.report.add(
            settings.line_of("grading"),
            f'"grading" must be "highest" or "last"; it is {quote(grading)}',
        )
    review = ReviewSettings()
    review_fields = settings.mapping("review", "the review settings", allowed=REVIEW_KEYS)
    if review_fields is not None:
        review = ReviewSettings(
            **{key: review_fields.boolean(key, getattr(review, key)) for key in REVIEW_KEYS}
        )
    return QuizSettings(
        draw=_draw(settings, pools),
        shuffle_questions=settings.boolean("shuffle_questions", defaults.shuffle_questions),
        shuffle_options=settings.boolean("shuffle_options", defaults.shuffle_options),
        time_limit_minutes=(
            settings.integer("time_limit_minutes", 0, minimum=1)
            if settings.has("time_limit_minutes")
            else None
        ),
        max_attempts=settings.integer("max_attempts", defaults.max_attempts, minimum=0),
        cooldown_minutes=settings.integer("cooldown_minutes", defaults.cooldown_minutes, minimum=0),
        pass_mark=settings.number("pass_mark", defaults.pass_mark, minimum=0, maximum=100),
        grading=grading,
        review=review,
    )


def _draw(settings: Fields, pools: list[Pool]) -> tuple[Draw, ...]:
    sizes = {pool.id: len(pool.questions) for pool in pools if pool.id}
    draws: list[tuple[Draw, int]] = []
    for index, node in enumerate(settings.items("draw", min_items=1), start=1):
        item = Fields(
            node,
            settings.report,
            f"draw {index}",
            allowed=("pool", "count"),
            required=("pool", "count"),
        )
        draw = Draw(item.ident("pool"), item.integer("count", 0, minimum=1))
        line = item.line_of("pool")
        if draw.pool and draw.pool not in sizes:
            settings.report.add(
                line,
                f'draw names the pool "{draw.pool}", which is not in this quiz '
                f"(pools: {', '.join(sizes)})",
            )
        elif draw.pool and draw.count > sizes[draw.pool]:
            settings.report.add(
                item.line_of("count"),
                f'draw asks for {draw.count} questions from pool "{draw.pool}", '
                f"which has only {sizes[draw.pool]}",
            )
        draws.append((draw, line))
    check_unique(
        [(draw.pool, line) for draw, line in draws if draw.pool],
        settings.report,
        "draw pool",
        "draw each pool once, with the total count",
    )
    return tuple(draw for draw, _line in draws)
