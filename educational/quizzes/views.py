"""Taking quizzes: the quiz page, attempts (form posts and JSON autosave), review, and
staff overrides."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from educational.accounts.models import User
from educational.catalog import services as catalog
from educational.catalog.models import Quiz
from educational.core.db import db, utcnow
from educational.core.errors import DomainError
from educational.core.forms import show_domain_error
from educational.core.params import MAX_ID, parse_int
from educational.core.permissions import authenticated, can, object_rule, requires

from . import services
from .forms import OverrideForm
from .models import Attempt, QuizOverride
from .presentation import attempt_view, review_view
from .questiontypes import QUESTION_TYPES

bp = Blueprint("quizzes", __name__)


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


@bp.get("/courses/<slug>/quizzes/<name>")
@authenticated
def quiz(slug: str, name: str):
    course, quiz = _course_and_quiz(slug, name)
    enrolment = catalog.find_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the course to take its quizzes."), "info")
        return redirect(url_for("catalog.course", slug=slug))
    attempts = services.attempts_of(current_user.id, quiz)
    for attempt in attempts:
        if services.close_if_overdue(attempt):
            db.session.commit()
    return render_template(
        "quizzes/quiz.html",
        course=course,
        quiz=quiz,
        enrolment=enrolment,
        attempts=attempts,
        check=services.start_check(current_user.id, quiz, utcnow()),
        running=services.open_attempt(current_user.id, quiz),
        graded=services.graded_attempt(current_user.id, quiz),
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
    try:
        attempt = services.start_attempt(current_user, quiz, language=enrolment.language)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("quizzes.quiz", slug=slug, name=name))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@authenticated
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if services.close_if_overdue(attempt):
        db.session.commit()
        flash(_("Time is up: your attempt was submitted with the answers saved before."), "info")
    if not attempt.is_open:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    return render_template("quizzes/attempt.html", attempt=attempt, view=attempt_view(attempt))


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
    try:
        services.save_answers(attempt, _posted_answers(attempt))
        if request.form.get("action") == "submit":
            services.submit_attempt(attempt)
    except services.TimeIsUp as error:
        db.session.commit()
        flash(error.message, "info")
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    db.session.commit()
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
    try:
        services.save_answers(attempt, _posted_answers(attempt, {position}) or {position: None})
    except services.TimeIsUp as error:
        db.session.commit()
        return _json_error(409, "time_is_up", error.message)
    except DomainError as error:
        db.session.rollback()
        return _json_error(409, "not_saved", error.message)
    db.session.commit()
    return jsonify({"saved": True, "position": position, "saved_at": utcnow().isoformat()})


def _json_error(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": message}}), status


@bp.post("/attempts/<int:attempt_id>/submit")
@authenticated
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    services.submit_attempt(attempt)
    db.session.commit()
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/review")
@authenticated
def review(attempt_id: int):
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    if not can(current_user, "view_attempt", attempt):
        abort(404)
    if attempt.is_open:
        if attempt.user_id == current_user.id:
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
        abort(404)
    staff_view = current_user.is_staff and attempt.user_id != current_user.id
    course = attempt.quiz.course
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        course=course,
        view=review_view(attempt, full=staff_view),
        review=attempt.quiz.settings["review"] if not staff_view else _FULL_REVIEW,
    )


_FULL_REVIEW = {"score": True, "correctness": True, "feedback": True, "correct_answers": True}


@bp.route("/staff/quizzes/<int:quiz_id>/overrides", methods=["GET", "POST"])
@requires("staff_area")
def overrides(quiz_id: int):
    quiz = db.session.get(Quiz, quiz_id) or abort(404)
    form = OverrideForm()
    if form.validate_on_submit():
        learner = db.session.scalar(
            select(User).where(User.email == form.email.data.strip().lower())
        )
        try:
            if learner is None:
                raise DomainError(_("No account uses this e-mail address."), field="email")
            services.set_override(
                learner,
                quiz,
                extra_minutes=form.extra_minutes.data or 0,
                extra_attempts=form.extra_attempts.data or 0,
                reason=form.reason.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved the accommodation for %(name)s.", name=learner.name), "success")
            return redirect(url_for("quizzes.overrides", quiz_id=quiz.id))
    rows = db.session.execute(
        select(QuizOverride, User)
        .join(User, User.id == QuizOverride.user_id)
        .where(QuizOverride.quiz_id == quiz.id)
        .order_by(User.name)
    ).all()
    return render_template("quizzes/overrides.html", quiz=quiz, form=form, rows=rows)
