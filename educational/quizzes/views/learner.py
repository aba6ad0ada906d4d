"""Taking quizzes: the quiz page, attempts (form posts and JSON autosave) and their review.

An attempt whose time ran out shows as finished and graded at once (``results``); it is
recorded as submitted by the learner's next POST here, or by ``flask quizzes close-overdue``.
A GET never writes."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.catalog import services as catalog
from educational.catalog.content.questiontypes import QUESTION_TYPES
from educational.catalog.models import Quiz
from educational.core.db import utcnow
from educational.core.params import MAX_ID, parse_int
from educational.core.permissions import authenticated, can, object_rule
from educational.core.transaction import flash_errors, json_errors

from .. import services
from ..models import Attempt
from ..next_steps import next_steps
from ..presentation import attempt_view, review_view
from ..results import graded_result, is_overdue, result_of
from ..summary import minutes_left, set_flags, time_left
from . import bp


@object_rule("view_attempt")
def _may_view_attempt(user, attempt: Attempt) -> bool:
    return attempt.user_id == user.id or user.is_staff


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = services.attempt_with_layout(attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def _course_and_quiz(slug: str, name: str):
    course = catalog.course_by_slug(slug) or abort(404)
    quiz = services.quiz_by_name(course, name) or abort(404)
    return course, quiz


def _time_is_up() -> str:
    return _("Time is up: your attempt was submitted with the answers saved before.")


@bp.get("/courses/<slug>/quizzes/<name>")
@authenticated
def quiz(slug: str, name: str):
    course, quiz = _course_and_quiz(slug, name)
    enrolment = catalog.find_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the course to take its quizzes."), "info")
        return redirect(url_for("catalog.course", slug=slug))
    now = utcnow()
    results = [result_of(a, now) for a in services.attempts_of(current_user.id, quiz)]
    return render_template(
        "quizzes/quiz.html",
        course=course,
        quiz=quiz,
        enrolment=enrolment,
        results=results,
        check=services.start_check(current_user.id, quiz, now),
        running=next((r.attempt for r in results if not r.finished), None),
        graded=graded_result(results, quiz),
        question_count=_question_count(quiz),
    )


def _question_count(quiz: Quiz) -> int:
    if quiz.settings.get("draw"):
        return sum(draw["count"] for draw in quiz.settings["draw"])
    return sum(len(pool["questions"]) for pool in quiz.pools)


@bp.post("/courses/<slug>/quizzes/<name>/start")
@authenticated
def start(slug: str, name: str):
    course, quiz = _course_and_quiz(slug, name)
    enrolment = catalog.find_enrolment(current_user, course) or abort(403)
    with flash_errors(url_for("quizzes.quiz", slug=slug, name=name)):
        attempt = services.start_attempt(current_user, quiz, language=enrolment.language)
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@authenticated
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.is_open and not is_overdue(attempt, utcnow()):
        flagged = {slot.position for slot in attempt.slots if slot.flagged}
        return render_template(
            "quizzes/attempt.html",
            attempt=attempt,
            view=attempt_view(attempt),
            flagged=flagged,
            minutes_left=minutes_left(time_left(attempt, utcnow())),
        )
    if attempt.is_open:  # the time ran out: finished, though not recorded yet
        flash(_time_is_up(), "info")
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


def _posted_flags(attempt: Attempt, positions=None) -> dict[int, bool]:
    """The flag checkboxes of the posted questions (``flagged``: one value per flagged
    position); a question on the form without its box ticked loses its flag."""
    ticked = set(request.form.getlist("flagged"))
    return {
        slot.position: str(slot.position) in ticked
        for slot in attempt.slots
        if positions is None or slot.position in positions
    }


def _posted_answers(attempt: Attempt, positions=None) -> dict[int, object]:
    answers = {}
    for slot in attempt.slots:
        if positions is not None and slot.position not in positions:
            continue
        name = f"q{slot.position}"
        question_type = QUESTION_TYPES[slot.question.type]
        answers[slot.position] = question_type.parse_form(slot.layout, name, request.form.getlist)
    return answers


@bp.post("/attempts/<int:attempt_id>/save")
@authenticated
def save(attempt_id: int):
    """The form post that works without JavaScript: saves every answer and flag on the
    page, then goes to the summary before submitting ("Finish attempt"), or submits at once
    (``submit``: what the timer's script posts when the time is up)."""
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if services.close_if_overdue(attempt, now):
        flash(_time_is_up(), "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    with flash_errors(url_for("quizzes.attempt", attempt_id=attempt.id)):
        services.save_answers(attempt, _posted_answers(attempt), now=now)
        set_flags(attempt, _posted_flags(attempt), now=now)
        if request.form.get("action") == "submit":
            services.submit_attempt(attempt, now=now)
    if not attempt.is_open:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    if request.form.get("action") == "finish":
        return redirect(url_for("quizzes.summary", attempt_id=attempt.id))
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/answer")
@authenticated
def autosave(attempt_id: int):
    """JSON autosave of one question (the page's script, and any client that posts the same
    form fields plus ``position``). The hottest request of an exam: one query reads the
    attempt and that one slot, one UPDATE writes it; the answer is small JSON."""
    position = parse_int(request.form.get("position"), minimum=0, maximum=MAX_ID)
    slot = services.answer_slot(attempt_id, position or 0)
    if slot is None or slot.user_id != current_user.id:
        abort(404)
    if position is None:
        return _json_error(400, "bad_request", _("Say which question: position is missing."))
    now = utcnow()
    if slot.is_open and is_overdue(slot, now):  # type: ignore[arg-type]
        services.close_if_overdue(_own_attempt(attempt_id), now)  # committed with this answer
        return _json_error(409, "time_is_up", _time_is_up())
    with json_errors("not_saved"):
        answer = None
        if slot.question_type is not None:
            question_type = QUESTION_TYPES[slot.question_type]
            answer = question_type.parse_form(slot.layout, f"q{position}", request.form.getlist)
        flagged = str(position) in request.form.getlist("flagged")
        services.save_answer(slot, answer, flagged=flagged, now=now)
    return jsonify({"saved": True, "position": position, "saved_at": now.isoformat()})


def _json_error(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": message}}), status


@bp.post("/attempts/<int:attempt_id>/submit")
@authenticated
def submit(attempt_id: int):
    """The summary page's "Submit all and finish". After the deadline the server has
    already decided: the attempt is closed with the answers saved in time."""
    attempt = _own_attempt(attempt_id)
    if services.close_if_overdue(attempt, utcnow()):
        flash(_time_is_up(), "info")
    else:
        services.submit_attempt(attempt)
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/review")
@authenticated
def review(attempt_id: int):
    attempt = services.attempt_with_layout(attempt_id) or abort(404)
    if not can(current_user, "view_attempt", attempt):
        abort(404)
    result = result_of(attempt, utcnow())
    if not result.finished:
        if attempt.user_id == current_user.id:
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
        abort(404)
    staff_view = current_user.is_staff and attempt.user_id != current_user.id
    course = attempt.quiz.course
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        result=result,
        course=course,
        steps=next_steps(attempt) if attempt.user_id == current_user.id else None,
        view=review_view(attempt, result.slots, full=staff_view),
        review=attempt.quiz.settings["review"] if not staff_view else _FULL_REVIEW,
    )


_FULL_REVIEW = {"score": True, "correctness": True, "feedback": True, "correct_answers": True}
