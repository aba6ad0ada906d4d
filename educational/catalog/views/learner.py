"""The public catalogue, enrolment, module pages and the learner's dashboard."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.permissions import authenticated, public
from educational.core.transaction import flash_errors

from .. import services
from . import bp


def _course_or_404(slug: str):
    return services.course_by_slug(slug) or abort(404)


def _reading(slug: str, name: str):
    """The course, the module and the learner's enrolment of a module's page or action; a
    learner not enrolled is sent to the course's page, told to enrol."""
    course = _course_or_404(slug)
    module = services.module_by_name(course, name) or abort(404)
    enrolment = services.find_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the course to read its modules."), "info")
        abort(redirect(url_for("catalog.course", slug=slug)))
    return course, module, enrolment


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
    with flash_errors(url_for("catalog.course", slug=slug)):
        enrolment = services.enrol(current_user, course)
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
    with flash_errors(url_for("catalog.course", slug=slug)):
        services.set_language(enrolment, request.form.get("language", ""))
    return redirect(url_for("catalog.course", slug=slug))


@bp.get("/courses/<slug>/modules/<name>")
@authenticated
def module(slug: str, name: str):
    course, module, enrolment = _reading(slug, name)
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
    _course, module, enrolment = _reading(slug, name)
    services.mark_module_read(enrolment, module)
    following = services.progress_of(enrolment).next_module
    if following is None:
        flash(_("You have read every module of this course."), "success")
        return redirect(url_for("catalog.course", slug=slug))
    return redirect(url_for("catalog.module", slug=slug, name=following.name))


@bp.get("/courses/<slug>/images/<path:filename>")
@public
def image(slug: str, filename: str):
    course = services.course_by_slug(slug, include_retired=True) or abort(404)
    row = services.course_image(course, filename) or abort(404)
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
