"""Course completion: every live module read and the exam (if any) passed. Completing a
course issues its certificate."""

from datetime import datetime

from educational.catalog.models import Enrolment
from educational.core.db import db, utcnow


def update_completion(enrolment: Enrolment, *, now: datetime | None = None) -> bool:
    """Mark the enrolment complete when it qualifies; True if it just did."""
    from educational.catalog.services import completed_module_ids

    from .services import has_passed, quiz_by_name

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
    _issue_certificate(enrolment)
    return True


def _issue_certificate(enrolment: Enrolment) -> None:
    from educational.certificates.services import issue_certificate

    issue_certificate(enrolment.user, enrolment.course, issued_at=enrolment.completed_at)
