"""The public catalogue, enrolment, module pages, the learner's dashboard and staff progress."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.export import csv_response, csv_text
from educational.core.permissions import authenticated, public, requires

from . import services
from .models import CourseImage

bp = Blueprint("catalog", __name__)


def _course_or_404(slug: str):
    return services.course_by_slug(slug) or abort(404)


def _enrolment_or_redirect(course):
    enrolment = services.find_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the course to read its modules."), "info")
    return enrolment


@bp.get("/courses")
@public
def index():
    return render_template("catalog/index.html", courses=services.live_courses())


@bp.get("/courses/<slug>")
@public
def course(slug: str):
    course = _course_or_404(slug)
    enrolment = services.find_enrolment(current_user, course)
    language = enrolment.language if enrolment else services.default_language(current_user, course)
    progress = services.progress_of(enrolment) if enrolment else None
    done = services.completed_module_ids(enrolment) if enrolment else set()
    return render_template(
        "catalog/course.html",
        course=course,
        enrolment=enrolment,
        language=language,
        progress=progress,
        done=done,
    )


@bp.post("/courses/<slug>/enrol")
@authenticated
def enrol(slug: str):
    course = _course_or_404(slug)
    try:
        enrolment = services.enrol(current_user, course)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("catalog.course", slug=slug))
    db.session.commit()
    flash(_("You are enrolled. Start with the first module."), "success")
    first = services.progress_of(enrolment).next_module
    if first is None:
        return redirect(url_for("catalog.course", slug=slug))
    return redirect(url_for("catalog.module", slug=slug, name=first.name))


@bp.post("/courses/<slug>/language")
@authenticated
def choose_language(slug: str):
    course = _course_or_404(slug)
    enrolment = services.find_enrolment(current_user, course) or abort(404)
    try:
        services.set_language(enrolment, request.form.get("language", ""))
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
    return redirect(url_for("catalog.course", slug=slug))


@bp.get("/courses/<slug>/modules/<name>")
@authenticated
def module(slug: str, name: str):
    course = _course_or_404(slug)
    module = services.module_by_name(course, name) or abort(404)
    enrolment = _enrolment_or_redirect(course)
    if enrolment is None:
        return redirect(url_for("catalog.course", slug=slug))
    title, html, translated = module.text(enrolment.language, course.language)
    modules = course.live_modules
    index = modules.index(module)
    return render_template(
        "catalog/module.html",
        course=course,
        module=module,
        enrolment=enrolment,
        title=title,
        html=html,
        translated=translated,
        previous=modules[index - 1] if index > 0 else None,
        next=modules[index + 1] if index + 1 < len(modules) else None,
        position=index + 1,
        done=module.id in services.completed_module_ids(enrolment),
    )


@bp.post("/courses/<slug>/modules/<name>/read")
@authenticated
def mark_read(slug: str, name: str):
    course = _course_or_404(slug)
    module = services.module_by_name(course, name) or abort(404)
    enrolment = _enrolment_or_redirect(course)
    if enrolment is None:
        return redirect(url_for("catalog.course", slug=slug))
    services.mark_module_read(enrolment, module)
    db.session.commit()
    following = services.progress_of(enrolment).next_module
    if following is None:
        flash(_("You have read every module of this course."), "success")
        return redirect(url_for("catalog.course", slug=slug))
    return redirect(url_for("catalog.module", slug=slug, name=following.name))


@bp.get("/courses/<slug>/images/<path:filename>")
@public
def image(slug: str, filename: str):
    course = services.course_by_slug(slug, include_retired=True) or abort(404)
    row = db.session.scalar(
        select(CourseImage).where(
            CourseImage.course_id == course.id, CourseImage.path == f"images/{filename}"
        )
    ) or abort(404)
    response = Response(row.data, mimetype=row.content_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["ETag"] = row.sha256
    # An SVG opened on its own must not run anything it contains.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"
    )
    return response


@bp.get("/dashboard")
@authenticated
def dashboard():
    rows = [(e, services.progress_of(e)) for e in services.enrolments_of(current_user)]
    return render_template("catalog/dashboard.html", rows=rows)


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
