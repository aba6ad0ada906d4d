"""The staff's view of the courses: enrolment counts and each learner's progress, as a
page or a CSV file."""

from flask import Response, abort, render_template, request

from educational.core.export import csv_response, csv_text
from educational.core.permissions import requires

from .. import services
from . import bp


@bp.get("/staff/courses")
@requires("staff_area")
def staff_courses():
    return render_template(
        "catalog/staff_courses.html",
        courses=services.live_courses(),
        counts=services.course_enrolment_counts(),
    )


@bp.get("/staff/courses/<slug>/progress")
@requires("staff_area")
def staff_progress(slug: str):
    course = services.course_by_slug(slug, include_retired=True) or abort(404)
    rows = services.course_progress_report(course)
    if request.args.get("format") == "csv":
        return _progress_csv(course, rows)
    return render_template("catalog/staff_progress.html", course=course, rows=rows)


def _progress_csv(course, rows) -> Response:
    header = ["name", "email", "enrolled_at", "language"]
    header += ["modules_read", "modules_total", "percent", "completed_at"]
    lines = (
        [
            row.enrolment.user.name,
            row.enrolment.user.email,
            row.enrolment.enrolled_at.date(),
            row.enrolment.language,
            row.read,
            row.total,
            row.percent,
            row.enrolment.completed_at.date() if row.enrolment.completed_at else None,
        ]
        for row in rows
    )
    return csv_response(csv_text(header, lines), f"{course.slug}-progress.csv")
