"""The item analysis is computed once and kept until an attempt at the quiz is graded: the
next report after a grading shows it, and reports in between compute nothing again."""

from sqlalchemy import select

from educational.catalog.models import Question, Quiz
from educational.core.db import db
from educational.quizzes import statistics
from educational.quizzes.models import Attempt
from tests.quizzes import test_reports
from tests.quizzes.test_reports import add_attempt

# The report's fixtures, shared with test_reports.
report_quiz, staff = test_reports.report_quiz, test_reports.staff


def analysed(page: str) -> str:
    return page.split("<dt>Attempts analysed</dt><dd>", 1)[1].split("<", 1)[0]


def test_report_is_computed_again_only_after_a_grading(
    app, client, report_quiz, staff, make_user, monkeypatch
):
    quiz_id, question_ids = report_quiz
    computed = []
    original = statistics.analyse_items

    def counting(*args, **kwargs):
        computed.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(statistics, "analyse_items", counting)
    url = f"/staff/quizzes/{quiz_id}/report"

    assert analysed(client.get(url).get_data(as_text=True)) == "5"
    assert analysed(client.get(url).get_data(as_text=True)) == "5"
    assert len(computed) == 1

    newcomer = make_user("learner")
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        questions = [db.session.get(Question, qid) for qid in question_ids]
        add_attempt(quiz, questions, newcomer.id, 1, (1, 1, 2))
        db.session.commit()

    assert analysed(client.get(url).get_data(as_text=True)) == "6"
    assert len(computed) == 2
    # Another choice of attempts is another report.
    client.get(f"{url}?attempts=all")
    assert len(computed) == 3


def test_an_attempt_submitted_later_changes_the_report(app, client, report_quiz, staff):
    quiz_id, _question_ids = report_quiz
    url = f"/staff/quizzes/{quiz_id}/report?attempts=all"
    assert analysed(client.get(url).get_data(as_text=True)) == "6"
    with app.app_context():
        # The attempt in progress since the fixture is graded now (as submit_attempt does).
        attempt = db.session.scalars(select(Attempt).where(Attempt.state == "in_progress")).one()
        attempt.state, attempt.submitted_at = "submitted", attempt.started_at
        attempt.score, attempt.percent, attempt.passed = 0.0, 0.0, False
        db.session.commit()
    assert analysed(client.get(url).get_data(as_text=True)) == "7"
