"""What learning adds to the pages below it (``educational.core.panels``): the certificate of
a completed course, on the review of the final exam that completed it and on the learner's
dashboard; and on a course's page, the learner's certificates of it with the button to
renew one. Read only."""

from educational.catalog.models import Course, Enrolment
from educational.certificates.models import Certificate
from educational.certificates.renewal import history, renewable, retake_course
from educational.certificates.services import certificates_of
from educational.core.db import today
from educational.core.panels import Shown


def course_certificate(user, course: Course) -> Certificate | None:
    """The learner's newest certificate of the course (or renewed by passing it, when it is a
    refresher), revoked or expired ones included (the page says which)."""
    return next(
        (c for c in certificates_of(user) if course.id in (c.course_id, c.via_course_id)), None
    )


def completed_panel(*, user, course: Course) -> Shown:
    """ "You have completed": the certificate and what to do next."""
    return Shown("learning/_completed.html", {"certificate": course_certificate(user, course)})


def dashboard_course_panel(*, enrolment: Enrolment) -> Shown | None:
    """The "Completed" of a dashboard card, as a link to the course's certificate."""
    if enrolment.completed_at is None:
        return None
    certificate = course_certificate(enrolment.user, enrolment.course)
    return Shown("learning/_dashboard_course.html", {"certificate": certificate})


def course_certificates_panel(*, user, course: Course) -> Shown | None:
    """On a course's page: the learner's certificates of it (or of the course it is the
    refresher of), newest first, and the button to renew one that is near or past expiry."""
    if user is None or not user.is_authenticated:
        return None
    certificates = history(user.id, course)
    if not certificates:
        return None
    on = today()
    renew = [
        c for c in certificates if renewable(c, on) and retake_course(c.course).id == course.id
    ]
    return Shown(
        "learning/_course_certificates.html",
        {"certificates": certificates, "renew": renew, "today": on},
    )
