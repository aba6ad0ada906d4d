"""Staff verification: the queue of submitted entries and the review of one entry."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from educational.catalog.scheme import current_scheme
from educational.core.db import db, utcnow
from educational.core.forms import requested_page
from educational.core.params import MAX_ID, parse_int
from educational.core.permissions import requires
from educational.core.transaction import flash_errors, form_errors

from .. import services, verification
from ..forms import BulkVerifyForm, DecisionForm, selected_entries
from ..models import ENTRY_KINDS, ExperienceEntry
from . import staff_bp as bp

PER_PAGE = 50


@bp.get("/")
@requires("staff_area")
def queue():
    kind = request.args.get("kind", "")
    kind = kind if kind in ENTRY_KINDS else ""
    page = db.paginate(
        verification.queue_query(kind or None),
        page=requested_page(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "experience/staff_queue.html",
        page=page,
        kind=kind,
        counts=verification.queue_counts(),
        now=utcnow(),
        age_in_days=verification.age_in_days,
        bulk_form=BulkVerifyForm(),
    )


@bp.post("/verify")
@requires("staff_area")
def verify_selected():
    """Verify the entries ticked in the queue, each on its own (see ``verify_many``): the
    verified are verified, the others reported and left as they were."""
    kind = request.form.get("kind", "")
    kind = kind if kind in ENTRY_KINDS else None
    back = url_for("experience_staff.queue", kind=kind)
    form = BulkVerifyForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Tick the entries again, then verify them."), "error")
        return redirect(url_for("experience_staff.queue", kind=kind))
    selection = selected_entries(request.form.getlist("entry"))
    if not selection:
        flash(_("Tick the entries to verify first."), "error")
        return redirect(url_for("experience_staff.queue", kind=kind))
    with flash_errors(back):
        result = verification.verify_many(selection, current_user)
    if result.verified:
        flash(
            ngettext(
                "%(num)d entry verified; each learner is told by one e-mail listing them.",
                "%(num)d entries verified; each learner is told by one e-mail listing them.",
                len(result.verified),
            ),
            "success",
        )
    for skipped in result.skipped:
        flash(
            _(
                "Not verified: “%(entry)s” (%(id)d). %(reason)s",
                entry=skipped.heading,
                id=skipped.entry_id,
                reason=skipped.reason,
            ),
            "error",
        )
    return redirect(url_for("experience_staff.queue", kind=kind))


@bp.get("/<int:entry_id>")
@requires("staff_area")
def review(entry_id: int):
    entry = services.find_entry(entry_id) or abort(404)
    return _review_page(entry, DecisionForm(revision=entry.revision))


@bp.post("/<int:entry_id>/decide")
@requires("staff_area")
def decide(entry_id: int):
    # Locked for the decision, so two reviewers cannot both decide on the same entry.
    entry = db.session.get(ExperienceEntry, entry_id, with_for_update=True) or abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        # A revision that is no number matches none: the decision is refused as stale.
        revision = parse_int(form.revision.data, minimum=0, maximum=MAX_ID)
        with form_errors(form):
            verification.decide(
                entry,
                current_user,
                form.decision.data,
                form.comment.data,
                revision=-1 if revision is None else revision,
            )
            name = entry.user.name
            messages = {
                "verify": _("The entry is verified; %(name)s is told by e-mail.", name=name),
                "reject": _("The entry is rejected; %(name)s is told why by e-mail.", name=name),
                "request_info": _("%(name)s is asked by e-mail for more information.", name=name),
            }
            flash(messages[form.decision.data], "success")
            return redirect(url_for("experience_staff.queue"))
    return _review_page(entry, form)


def _review_page(entry: ExperienceEntry, form: DecisionForm):
    owner = entry.user
    others = services.entries_of(owner, include_withdrawn=True)
    return render_template(
        "experience/staff_entry.html",
        entry=entry,
        owner=owner,
        others=others,
        history=verification.entry_history(entry),
        form=form,
        own_entry=entry.user_id == current_user.id,
        scheme=current_scheme(),
    )
