"""What learning adds to the pages below it (``educational.core.panels``): the certificate of
a completed course, on the review of the final exam that completed it and on the learner's
dashboard. Read only."""

from educational.catalog.models import Course, Enrolment
from educational.certificates.models import Certificate
from educational.certificates.services import certificates_of
from educational.core.panels import Shown


def course_certificate(user, course: Course) -> Certificate | None:
    """The learner's newest certificate of the course, revoked or expired ones included (the
    page says which)."""
    return next((c for c in certificates_of(user) if c.course_id == course.id), None)


def completed_panel(*, user, course: Course) -> Shown:
    """ "You have completed": the certificate and what to do next."""
    return Shown("learning/_completed.html", {"certificate": course_certificate(user, course)})


def dashboard_course_panel(*, enrolment: Enrolment) -> Shown | None:
    """The "Completed" of a dashboard card, as a link to the course's certificate."""
    if enrolment.completed_at is None:
        return None
    certificate = course_certificate(enrolment.user, enrolment.course)
    return Shown("learning/_dashboard_course.html", {"certificate": certificate})
