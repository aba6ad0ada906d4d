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
from educational.core.db import db, utcnow
from educational.core.params import MAX_ID, parse_int
from educational.core.permissions import authenticated, can, object_rule
from educational.core.transaction import flash_errors, json_errors

from .. import services
from ..models import Attempt
from ..presentation import attempt_view, review_view
from ..results import graded_result, is_overdue, result_of
from . import bp


@object_rule("view_attempt")
def _may_view_attempt(user, attempt: Attempt) -> bool:
    return attempt.user_id == user.id or user.is_staff


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
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
        return render_template("quizzes/attempt.html", attempt=attempt, view=attempt_view(attempt))
    if attempt.is_open:  # the time ran out: finished, though not recorded yet
        flash(_time_is_up(), "info")
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


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
    """The form post that works without JavaScript: saves every answer on the page, then
    submits if the learner pressed "Submit all and finish"."""
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if services.close_if_overdue(attempt, now):
        flash(_time_is_up(), "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    with flash_errors(url_for("quizzes.attempt", attempt_id=attempt.id)):
        services.save_answers(attempt, _posted_answers(attempt), now=now)
        if request.form.get("action") == "submit":
            services.submit_attempt(attempt, now=now)
    if not attempt.is_open:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/answer")
@authenticated
def autosave(attempt_id: int):
    """JSON autosave of one question (the page's script, and any client that posts the same
    form fields plus ``position``)."""
    attempt = _own_attempt(attempt_id)
    position = parse_int(request.form.get("position"), minimum=0, maximum=MAX_ID)
    if position is None:
        return _json_error(400, "bad_request", _("Say which question: position is missing."))
    now = utcnow()
    if services.close_if_overdue(attempt, now):  # committed with this answer
        return _json_error(409, "time_is_up", _time_is_up())
    with json_errors("not_saved"):
        answers = _posted_answers(attempt, {position}) or {position: None}
        services.save_answers(attempt, answers, now=now)
    return jsonify({"saved": True, "position": position, "saved_at": utcnow().isoformat()})


def _json_error(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": message}}), status


@bp.post("/attempts/<int:attempt_id>/submit")
@authenticated
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    services.submit_attempt(attempt)
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/review")
@authenticated
def review(attempt_id: int):
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
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
        view=review_view(attempt, result.slots, full=staff_view),
        review=attempt.quiz.settings["review"] if not staff_view else _FULL_REVIEW,
    )


_FULL_REVIEW = {"score": True, "correctness": True, "feedback": True, "correct_answers": True}
