"""Staff pages on quizzes: a learner's accommodations (extra time or attempts), and the
reports (attempts and pass rates, item analysis, responses) with their CSV export."""

import csv
import io
from typing import TYPE_CHECKING

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.accounts import services as accounts
from educational.catalog.models import Question, Quiz
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.export import csv_cell, csv_response
from educational.core.names import language_name
from educational.core.permissions import requires
from educational.core.transaction import form_errors

from .. import responses as response_analysis
from .. import services
from ..forms import OverrideForm
from . import bp, reports_bp

if TYPE_CHECKING:
    from ..reports import QuizData


@bp.route("/staff/quizzes/<int:quiz_id>/overrides", methods=["GET", "POST"])
@requires("staff_area")
def overrides(quiz_id: int):
    quiz = db.session.get(Quiz, quiz_id) or abort(404)
    form = OverrideForm()
    if form.validate_on_submit():
        learner = accounts.find_user_by_email(form.email.data)
        with form_errors(form):
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
            flash(_("Saved the accommodation for %(name)s.", name=learner.name), "success")
            return redirect(url_for("quizzes.overrides", quiz_id=quiz.id))
    rows = services.overrides_of(quiz)
    return render_template("quizzes/overrides.html", quiz=quiz, form=form, rows=rows)


# Reports
#
# ``reports`` and ``statistics`` are imported by the views that use them: they bring numpy,
# a sixth of the app's start-up, which every worker and command would pay for otherwise.


@reports_bp.get("/staff/quizzes")
@requires("staff_area")
def index():
    from .. import reports

    return render_template("quizzes/report_index.html", rows=reports.quiz_overview())


@reports_bp.get("/staff/quizzes/<int:quiz_id>/report")
@requires("staff_area")
def report(quiz_id: int):
    from .. import reports, statistics

    quiz = db.session.get(Quiz, quiz_id) or abort(404)
    which = _attempts_option()
    data, summary, analysis = reports.quiz_statistics(quiz, which)
    rows = [
        (question, item, statistics.random_guess_score(question.type, question.definition))
        for question, item in zip(data.questions, analysis.items, strict=True)
    ]
    gaps, gap_threshold, gap_minimum = reports.language_report(data)
    if request.args.get("format") == "csv":
        return _item_analysis_csv(quiz, rows, data, gaps)
    return render_template(
        "quizzes/report.html",
        quiz=quiz,
        which=which,
        options=reports.ATTEMPT_OPTIONS,
        summary=summary,
        analysis=analysis,
        rows=rows,
        chart=reports.distribution_chart(summary.distribution),
        drawn=bool(quiz.settings.get("draw")),
        languages=list(data.by_language),
        gaps=gaps,
        questions=data.questions,
        gap_threshold=gap_threshold,
        gap_minimum=gap_minimum,
        language_name=language_name,
    )


@reports_bp.get("/staff/quizzes/<int:quiz_id>/report/questions/<int:question_id>")
@requires("staff_area")
def question_responses(quiz_id: int, question_id: int):
    quiz = db.session.get(Quiz, quiz_id) or abort(404)
    question = db.session.get(Question, question_id)
    if question is None or question.course_id != quiz.course_id:
        abort(404)
    which = _attempts_option()
    from .. import reports

    answers = reports.load_answers(quiz, question, which)
    responses = response_analysis.analyse_responses(question.type, question.definition, answers)
    return render_template(
        "quizzes/report_question.html",
        quiz=quiz,
        question=question,
        which=which,
        responses=responses,
    )


def _attempts_option() -> str:
    from ..reports import ATTEMPT_OPTIONS

    which = request.args.get("attempts", "graded")
    return which if which in ATTEMPT_OPTIONS else "graded"


CSV_COLUMNS = (
    "question",
    "version",
    "type",
    "points",
    "attempts",
    "facility_percent",
    "sd_percent",
    "random_guess_percent",
    "intended_weight_percent",
    "effective_weight_percent",
    "discrimination_index_percent",
    "discriminative_efficiency_percent",
    "flags",
    "language_gap_percent",
    "language_gap_flagged",
)
#: Per attempt language, after CSV_COLUMNS: "<column>_<language code>".
CSV_LANGUAGE_COLUMNS = ("attempts", "facility_percent", "discrimination_index_percent")


def _item_analysis_csv(quiz: Quiz, rows, data: "QuizData", gaps) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    languages = list(data.by_language)
    writer.writerow(
        [
            *CSV_COLUMNS,
            *(f"{name}_{code}" for code in languages for name in CSV_LANGUAGE_COLUMNS),
        ]
    )
    gap_of = {gap.question: gap for gap in gaps}
    for column, (question, item, guess) in enumerate(rows):
        gap = gap_of.get(column)
        by_code = {entry.language: entry for entry in gap.languages} if gap else {}
        per_language = []
        for code in languages:
            entry = by_code.get(code)
            per_language += (
                [
                    entry.attempts,
                    _csv_number(entry.facility),
                    _csv_number(entry.discrimination_index),
                ]
                if entry
                else [0, "", ""]
            )
        writer.writerow(
            [
                csv_cell(question.key),
                question.version,
                csv_cell(question.type),
                _csv_number(question.points),
                item.attempts,
                _csv_number(item.facility),
                _csv_number(item.sd),
                _csv_number(None if guess is None else 100.0 * guess),
                _csv_number(item.intended_weight),
                _csv_number(item.effective_weight),
                _csv_number(item.discrimination_index),
                _csv_number(item.discriminative_efficiency),
                csv_cell(" ".join(item.flags)),
                _csv_number(gap.gap if gap else None),
                "yes" if gap and gap.flagged else "no",
                *per_language,
            ]
        )
    return csv_response(out.getvalue(), f"{quiz.course.slug}-{quiz.name}-item-analysis.csv")


def _csv_number(value: float | None) -> str:
    """Numbers we computed: a spreadsheet reads "-12.5" as a number, never as a formula."""
    return "" if value is None else f"{value:.2f}"
