"""Lodging a complaint, its status page, and the pages of the person it is about."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse

from educational.accreditation.models import AuditFirm
from educational.core.db import db, utcnow
from educational.core.extensions import limiter
from educational.core.forms import query_text
from educational.core.i18n import select_locale
from educational.core.params import parse_int
from educational.core.permissions import authenticated, can, public, require
from educational.core.transaction import form_errors

from .. import appeal, queries, services
from ..forms import ComplaintForm, ResponseForm
from ..models import Complaint
from . import bp


def _subject():
    """The person (public registry id) or the firm named in the query string."""
    registry_id = query_text("registry_id", 40)
    firm_id = parse_int(request.args.get("firm_id"))
    if registry_id:
        return services.public_profile(registry_id) or abort(404), None
    if firm_id:
        return None, db.session.get(AuditFirm, firm_id) or abort(404)
    abort(404)


def _within_limit() -> bool:
    """Anonymous complaints are limited per client address; logged-in ones are not."""
    if current_user.is_authenticated or not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    item = parse(current_app.config["COMPLAINT_LIMIT"])
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return limiter.limiter.hit(item, f"{prefix}complaint-lodge", get_remote_address())


def _describe(form: ComplaintForm) -> None:
    megabytes = current_app.config["EVIDENCE_MAX_BYTES"] / (1024 * 1024)
    form.evidence.description = _(
        "PDF, PNG or JPEG; up to %(mb)s MB each, at most %(n)d files. Only the secretariat "
        "sees them.",
        mb=f"{megabytes:g}",
        n=services.MAX_FILES,
    )


@bp.route("/new", methods=["GET", "POST"])
@public
def new():
    profile, firm = _subject()
    form = ComplaintForm()
    _describe(form)
    refused = None
    status = 200
    if form.validate_on_submit():
        if not _within_limit():
            refused = _(
                "You have lodged several complaints from this address within the hour. Wait an "
                "hour and try again, or log in to lodge it now; what you wrote is kept below."
            )
            status = 429
        else:
            with form_errors(form):
                files = [
                    (f.stream, f.filename) for f in form.evidence.data or [] if f and f.filename
                ]
                anonymous = not current_user.is_authenticated
                complaint, token = services.lodge(
                    description=form.description.data,
                    profile=profile,
                    firm=firm,
                    files=files,
                    user=None if anonymous else current_user,
                    name=form.name.data if anonymous else None,
                    email=form.email.data if anonymous else None,
                    locale=select_locale(),
                )
                # Shown once: only its hash is kept.
                response = current_app.make_response(
                    render_template(
                        "complaints/lodged.html",
                        complaint=complaint,
                        status_url=services.status_url(complaint, token),
                        subject_name=services.subject_name(complaint),
                    )
                )
                response.headers["Cache-Control"] = "no-store"
                return response
    page = render_template(
        "complaints/new.html",
        form=form,
        profile=profile,
        firm=firm,
        subject_name=firm.name if firm is not None else profile.user.name,
        refused=refused,
    )
    return page, status


@bp.get("/status/<reference>")
@public
def status(reference: str):
    """The complaint's progress, to whoever holds the status link (or is the logged-in
    complainant, or staff): never the staff's notes, the subject's response or anyone's
    private data."""
    complaint = queries.by_reference(reference[:20])
    token = request.args.get("token", "")[:100]
    if complaint is None or not (
        complaint.token_matches(token) or can(current_user, "view_complaint_status", complaint)
    ):
        abort(404)
    rules = services.rules()
    response = current_app.make_response(
        render_template(
            "complaints/status.html",
            complaint=complaint,
            subject_name=services.subject_name(complaint),
            rules=rules,
            now=utcnow(),
        )
    )
    # The link is the key: keep it out of caches and of other sites' logs.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _own_complaint(complaint_id: int) -> Complaint:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not complaint.shown_to_subject:
        abort(404)
    require(current_user, "complaint_subject", complaint)
    return complaint


@bp.get("/about-me")
@authenticated
def about_me_list():
    return render_template(
        "complaints/about_me_list.html", complaints=queries.about_user(current_user.id)
    )


@bp.get("/about-me/<int:complaint_id>")
@authenticated
def about_me(complaint_id: int):
    complaint = _own_complaint(complaint_id)
    return _about_me_page(complaint, ResponseForm())


def _about_me_page(complaint: Complaint, form: ResponseForm):
    return render_template(
        "complaints/about_me.html",
        complaint=complaint,
        form=form,
        rules=services.rules(),
        now=utcnow(),
        appeal_url=appeal.appeal_link(complaint, current_user),
        appeal_ends=appeal.window_ends(complaint),
    )


@bp.post("/about-me/<int:complaint_id>/respond")
@authenticated
def respond(complaint_id: int):
    complaint = _own_complaint(complaint_id)
    form = ResponseForm()
    if form.validate_on_submit():
        with form_errors(form):
            services.respond(complaint, current_user, form.response.data)
            flash(_("Your response is sent to the secretariat."), "success")
            return redirect(url_for("complaints.about_me", complaint_id=complaint.id))
    return _about_me_page(complaint, form)
