"""Course completion: every live module read and the exam (if any) passed. Completing a
course issues its certificate."""

from datetime import datetime

from sqlalchemy import select

from educational.catalog.models import Enrolment
from educational.catalog.services import completed_module_ids
from educational.certificates.services import issue_certificate
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt
from educational.quizzes.services import has_passed, quiz_by_name


def update_completion(enrolment: Enrolment, *, now: datetime | None = None) -> bool:
    """Mark the enrolment complete when it qualifies, and issue the certificate; True if it
    just did."""
    if enrolment.completed_at is not None:
        return False
    course = enrolment.course
    read = completed_module_ids(enrolment)
    if not all(module.id in read for module in course.live_modules):
        return False
    if course.exam_name:
        exam = quiz_by_name(course, course.exam_name)
        if exam is None or not has_passed(enrolment.user_id, exam):
            return False
    enrolment.completed_at = now or utcnow()
    db.session.flush()
    issue_certificate(enrolment.user, course, issued_at=enrolment.completed_at)
    return True


def on_module_read(enrolment: Enrolment) -> None:
    update_completion(enrolment)


def on_attempt_submitted(attempt: Attempt, *, now: datetime) -> None:
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.user_id == attempt.user_id, Enrolment.course_id == attempt.quiz.course_id
        )
    )
    if enrolment is not None:
        update_completion(enrolment, now=now)
