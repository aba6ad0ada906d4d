"""The learner's experience log: overview, create, edit, submit, delete, evidence."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from educational.catalog.scheme import current_scheme
from educational.core.db import db
from educational.core.permissions import authenticated, require
from educational.core.transaction import flash_errors, form_errors

from .. import services, uploads
from ..forms import FORMS, EntryForm
from ..models import Evidence, ExperienceEntry
from . import bp


def _own_entry(entry_id: int) -> ExperienceEntry:
    entry = services.find_entry(entry_id)
    if entry is None or entry.withdrawn_at is not None:
        abort(404)
    require(current_user, "own_experience", entry)
    return entry


def _uploads(form: EntryForm) -> list[services.Upload]:
    return [(f.stream, f.filename) for f in form.evidence.data or [] if f and f.filename]


def _wants_submit() -> bool:
    return request.form.get("action") == "submit"


def _describe_evidence(form: EntryForm) -> None:
    megabytes = current_app.config["EVIDENCE_MAX_BYTES"] / (1024 * 1024)
    form.evidence.description = _(
        "PDF, PNG or JPEG; up to %(mb)s MB each. You can choose several files.",
        mb=f"{megabytes:g}",
    )


@bp.get("/")
@authenticated
def index():
    return render_template("experience/index.html", entries=services.entries_of(current_user))


@bp.route("/new/<kind>", methods=["GET", "POST"])
@authenticated
def create(kind: str):
    form_class = FORMS.get(kind) or abort(404)
    scheme = current_scheme()
    form = form_class(scheme=scheme)
    _describe_evidence(form)
    if form.validate_on_submit():
        with form_errors(form):
            entry = services.create_entry(
                current_user, kind, form.entry_data(), _uploads(form), submit=_wants_submit()
            )
            flash(_saved_message(entry), "success")
            return redirect(url_for("experience.entry", entry_id=entry.id))
    return render_template("experience/form.html", form=form, kind=kind, entry=None)


@bp.get("/entries/<int:entry_id>")
@authenticated
def entry(entry_id: int):
    entry = _own_entry(entry_id)
    return render_template("experience/entry.html", entry=entry, scheme=current_scheme())


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@authenticated
def edit(entry_id: int):
    entry = _own_entry(entry_id)
    scheme = current_scheme()
    # On a POST everything comes from the request: the entry's own values would fill in
    # fields the browser leaves out (no files chosen, no box ticked).
    form = FORMS[entry.kind](obj=entry if request.method == "GET" else None, scheme=scheme)
    _describe_evidence(form)
    if form.validate_on_submit():
        with form_errors(form):
            back_to_queue = services.update_entry(
                entry, current_user, form.entry_data(), _uploads(form), submit=_wants_submit()
            )
            if back_to_queue:
                flash(
                    _(
                        "Your changes are saved. The entry was verified before, so it goes "
                        "back to the secretariat to be verified again."
                    ),
                    "info",
                )
            else:
                flash(_saved_message(entry), "success")
            return redirect(url_for("experience.entry", entry_id=entry.id))
    return render_template("experience/form.html", form=form, kind=entry.kind, entry=entry)


def _saved_message(entry: ExperienceEntry) -> str:
    if entry.status == "submitted":
        return _("Saved and sent to the secretariat for verification.")
    if not entry.needs_verification:
        return _("Your declaration is saved.")
    return _("Saved as a draft. Submit it for verification when it is complete.")


@bp.post("/entries/<int:entry_id>/submit")
@authenticated
def submit(entry_id: int):
    entry = _own_entry(entry_id)
    with flash_errors(url_for("experience.entry", entry_id=entry.id)):
        services.submit_entry(entry, current_user)
    flash(_("Sent to the secretariat for verification."), "success")
    return redirect(url_for("experience.entry", entry_id=entry.id))


@bp.route("/entries/<int:entry_id>/delete", methods=["GET", "POST"])
@authenticated
def delete(entry_id: int):
    entry = _own_entry(entry_id)
    if request.method == "GET":
        return render_template("experience/delete.html", entry=entry)
    with flash_errors(url_for("experience.entry", entry_id=entry_id)):
        withdrawn = services.delete_entry(entry, current_user)
    if withdrawn:
        flash(_("The entry is withdrawn. It no longer counts; the record of it is kept."), "info")
    else:
        flash(_("The entry and its files are deleted."), "success")
    return redirect(url_for("experience.index"))


@bp.post("/evidence/<int:evidence_id>/remove")
@authenticated
def remove_evidence(evidence_id: int):
    item = db.session.get(Evidence, evidence_id) or abort(404)
    entry_id = item.entry_id
    _own_entry(entry_id)
    with flash_errors(url_for("experience.entry", entry_id=entry_id)):
        services.remove_evidence(item, current_user)
    flash(_("The file is removed."), "success")
    return redirect(url_for("experience.entry", entry_id=entry_id))


@bp.get("/evidence/<int:evidence_id>")
@authenticated
def evidence(evidence_id: int):
    """The file, to its owner and to staff only, always as a download."""
    item = db.session.get(Evidence, evidence_id) or abort(404)
    require(current_user, "view_evidence", item)
    return uploads.send_evidence(item)
