"""Course completion: every live module read and the exam (if any) passed. Completing a
course issues its certificate; completing a retake (``retake.py``) renews one."""

from datetime import datetime

from sqlalchemy import select

from educational.catalog.models import Enrolment
from educational.catalog.services import completed_module_ids
from educational.certificates.services import issue_certificate
from educational.core.db import db, utcnow
from educational.quizzes.models import Attempt
from educational.quizzes.services import has_passed, quiz_by_name

from .retake import passed_for_renewal, renewal_target


def update_completion(enrolment: Enrolment, *, now: datetime | None = None) -> bool:
    """Mark the enrolment complete when it qualifies, and issue the certificate; True if it
    just did."""
    if enrolment.completed_at is not None:
        return False
    course = enrolment.course
    read = completed_module_ids(enrolment)
    if not all(module.id in read for module in course.live_modules):
        return False
    now = now or utcnow()
    # A retake renews a certificate (of this course, or of the course it is the refresher
    # of): its exam must be passed again, after that certificate was issued.
    renews = renewal_target(enrolment, now.date())
    if course.exam_name:
        exam = quiz_by_name(course, course.exam_name)
        if exam is None or not has_passed(enrolment.user_id, exam):
            return False
        if renews is not None and not passed_for_renewal(enrolment.user_id, course, renews):
            return False
    enrolment.completed_at = now
    db.session.flush()
    if renews is not None:
        issue_certificate(enrolment.user, renews.course, issued_at=now, renews=renews, via=course)
    else:
        issue_certificate(enrolment.user, course, issued_at=now)
    return True


def on_module_read(enrolment: Enrolment) -> None:
    update_completion(enrolment)


def on_attempt_submitted(attempt: Attempt, *, now: datetime) -> None:
    # Only a passed exam can complete a course (reading completes the modules): a failed
    # attempt or a module's quiz changes nothing, and costs no query.
    if not attempt.passed or attempt.quiz.name != attempt.quiz.course.exam_name:
        return
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.user_id == attempt.user_id, Enrolment.course_id == attempt.quiz.course_id
        )
    )
    if enrolment is not None:
        update_completion(enrolment, now=now)
