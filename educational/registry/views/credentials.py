"""The accreditation credentials: the holder's list and download, and the public Bitstring
Status List that the credentials point to."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.catalog.scheme import current_scheme
from educational.core.db import today
from educational.core.permissions import authenticated, public, require

from .. import credential, queries
from ..forms import STATUS_LABELS
from . import bp, template_labels


@bp.get("/registry/status/<purpose>")
@public
def status_list(purpose: str):
    """The Bitstring Status List credential (VC-JWT) that accreditation credentials point to."""
    if purpose != credential.STATUS_PURPOSE:
        abort(404)
    response = Response(credential.signed_status_list(today()), mimetype="application/vc+jwt")
    response.headers["Cache-Control"] = f"public, max-age={credential.STATUS_LIST_TTL}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/registry/mine")
@authenticated
def mine():
    """The signed-in holder's accreditations, with their credentials to download."""
    profile = queries.holder_profile(current_user.id)
    day = today()
    return render_template(
        "registry/mine.html",
        profile=profile,
        accreditations=profile.accreditations if profile else [],
        status_of=lambda accreditation: accreditation.shown_status(day),
        today=day,
        **template_labels(current_scheme()),
    )


@bp.get("/registry/accreditations/<int:accreditation_id>/credential")
@authenticated
def download_credential(accreditation_id: int):
    accreditation = queries.accreditation(accreditation_id) or abort(404)
    require(current_user, "download_accreditation_credential", accreditation)
    day = today()
    if not credential.in_force(accreditation, day):
        flash(
            _(
                "Only an active accreditation can be downloaded as a credential; this one is "
                "%(status)s.",
                status=STATUS_LABELS[accreditation.shown_status(day)],
            ),
            "error",
        )
        return redirect(url_for("registry.mine"))
    token = credential.signed_accreditation_credential(accreditation, current_scheme())
    name = f"accreditation-{accreditation.profile.registry_id}-{accreditation.role}.jwt"
    return Response(
        token,
        mimetype="application/jwt",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
