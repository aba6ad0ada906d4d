"""The public registry (no log-in): search, CSV export, a person's page, firms, statistics;
and the accreditation credentials: the holder's download and the public status list.

Only people who consented to publication appear on any of these pages."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import distinct, func, select

from educational.accreditation.models import (
    Accreditation,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
)
from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.export import csv_response
from educational.core.forms import show_domain_error
from educational.core.permissions import authenticated, public, require
from educational.experience.labels import country_name, language_name

from . import charts, credential, csvexport, limits, params, search
from .eligibility import effective_status
from .entries import current_affiliation, load_entries
from .forms import CHECK_LABELS, EVENT_LABELS, STATUS_LABELS, RegistrySearchForm
from .snapshot import latest_statistics

bp = Blueprint("registry", __name__)

PER_PAGE = 20


def template_labels(scheme) -> dict:
    """Names for the codes the registry templates show."""
    return {
        "scheme": scheme,
        "country_name": country_name,
        "language_name": language_name,
        "status_labels": STATUS_LABELS,
        "event_labels": EVENT_LABELS,
        "check_labels": CHECK_LABELS,
        "role_name": lambda code: (
            scheme.roles[code].name if scheme and code in scheme.roles else code
        ),
        "standard_name": lambda code: (
            scheme.standards[code].name if scheme and code in scheme.standards else code
        ),
        "sector_name": lambda code: (
            scheme.sectors[code].name if scheme and code in scheme.sectors else code
        ),
    }


@bp.get("/registry")
@public
@limits.page_limit
def index():
    scheme = params.scheme_or_none()
    form = RegistrySearchForm(scheme, formdata=request.args)
    today = params.today()
    entries, total, page, query = [], 0, 1, None
    try:
        query = search.parse_query(request.args, scheme)
        page = params.parse_positive(request.args.get("page"), "page", default=1)
    except DomainError as error:
        show_domain_error(form, error)
    else:
        ids, total = search.search(query, scheme, today, page=page, per_page=PER_PAGE)
        entries = load_entries(ids, today)
    pages = max(1, -(-total // PER_PAGE))
    return render_template(
        "registry/index.html",
        form=form,
        entries=entries,
        total=total,
        page=page,
        pages=pages,
        query=query,
        today=today,
        **template_labels(scheme),
    )


@bp.get("/registry.csv")
@public
@limits.csv_limit
def export():
    scheme = params.scheme_or_none()
    try:
        query = search.parse_query(request.args, scheme)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("registry.index"))
    today = params.today()
    return csv_response(
        csvexport.registry_csv(query, scheme, today),
        f"registry-{today.isoformat()}.csv",
    )


@bp.get("/registry/<registry_id>")
@public
@limits.page_limit
def person(registry_id: str):
    profile_id = db.session.scalar(
        select(RegistryProfile.id).where(
            RegistryProfile.registry_id == params.clean_text(registry_id, 40),
            RegistryProfile.public.is_(True),
        )
    )
    today = params.today()
    entries = load_entries([profile_id], today, with_history=True) if profile_id else []
    if not entries:
        abort(404)
    scheme = params.scheme_or_none()
    return render_template(
        "registry/person.html", entry=entries[0], today=today, **template_labels(scheme)
    )


@bp.get("/registry/firms")
@public
@limits.page_limit
def firms():
    today = params.today()
    listed = db.session.execute(select(AuditFirm).order_by(AuditFirm.name)).scalars().all()
    counts = _people_per_firm(today)
    return render_template(
        "registry/firms.html", firms=listed, counts=counts, country_name=country_name
    )


def _people_per_firm(today) -> dict[int, int]:
    rows = db.session.execute(
        select(FirmAffiliation.firm_id, func.count(distinct(FirmAffiliation.profile_id)))
        .join(RegistryProfile, RegistryProfile.id == FirmAffiliation.profile_id)
        .join(Accreditation, Accreditation.profile_id == RegistryProfile.id)
        .where(
            RegistryProfile.public.is_(True),
            search.status_condition("active", today),
            *current_affiliation(today),
        )
        .group_by(FirmAffiliation.firm_id)
    )
    return dict(rows.all())


@bp.get("/registry/firms/<int:firm_id>")
@public
@limits.page_limit
def firm(firm_id: int):
    found = db.session.get(AuditFirm, firm_id) or abort(404)
    today = params.today()
    profile_ids = db.session.scalars(
        select(FirmAffiliation.profile_id).where(
            FirmAffiliation.firm_id == firm_id, *current_affiliation(today)
        )
    ).all()
    entries = [entry for entry in load_entries(profile_ids, today) if entry.active]
    entries.sort(key=lambda entry: (entry.name.casefold(), entry.registry_id))
    scheme = params.scheme_or_none()
    return render_template(
        "registry/firm.html", firm=found, entries=entries, today=today, **template_labels(scheme)
    )


@bp.get("/registry/statistics")
@public
@limits.page_limit
def statistics():
    """The stored snapshot (``snapshot``): never computed on a visitor's request."""
    scheme = params.scheme_or_none()
    labels = template_labels(scheme)
    found = latest_statistics()
    if found is None:
        return render_template("registry/statistics.html", figures=None, **labels)
    figures, computed_at = found
    named = {
        "by_role": [(labels["role_name"](code), n) for code, n in figures.by_role],
        "by_standard": [(labels["standard_name"](code), n) for code, n in figures.by_standard],
        "by_sector": [(labels["sector_name"](code), n) for code, n in figures.by_sector],
        "by_country": [(country_name(code), n) for code, n in figures.by_country],
    }
    bar_charts = {key: charts.bar_chart(items[:15]) for key, items in named.items()}
    growth = [*figures.growth[:-1], (_("Today"), figures.growth[-1][1])]
    return render_template(
        "registry/statistics.html",
        figures=figures,
        computed_at=computed_at,
        named=named,
        bar_charts=bar_charts,
        growth=charts.line_chart(growth),
        growth_items=growth,
        **labels,
    )


# Accreditation credentials


@bp.get("/registry/status/<purpose>")
@public
def status_list(purpose: str):
    """The Bitstring Status List credential (VC-JWT) that accreditation credentials point to."""
    if purpose != credential.STATUS_PURPOSE:
        abort(404)
    response = Response(
        credential.signed_status_list(params.today()), mimetype="application/vc+jwt"
    )
    response.headers["Cache-Control"] = f"public, max-age={credential.STATUS_LIST_TTL}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/registry/mine")
@authenticated
def mine():
    """The signed-in holder's accreditations, with their credentials to download."""
    profile = db.session.scalar(
        select(RegistryProfile).where(RegistryProfile.user_id == current_user.id)
    )
    today = params.today()
    scheme = params.scheme_or_none()
    return render_template(
        "registry/mine.html",
        profile=profile,
        accreditations=profile.accreditations if profile else [],
        status_of=lambda a: effective_status(a.status, a.valid_until, today),
        today=today,
        **template_labels(scheme),
    )


@bp.get("/registry/accreditations/<int:accreditation_id>/credential")
@authenticated
def download_credential(accreditation_id: int):
    accreditation = db.session.get(Accreditation, accreditation_id) or abort(404)
    require(current_user, "download_accreditation_credential", accreditation)
    if not credential.in_force(accreditation, params.today()):
        flash(
            _(
                "Only an active accreditation can be downloaded as a credential; this one is "
                "%(status)s.",
                status=STATUS_LABELS[
                    effective_status(
                        accreditation.status, accreditation.valid_until, params.today()
                    )
                ],
            ),
            "error",
        )
        return redirect(url_for("registry.mine"))
    token = credential.signed_accreditation_credential(accreditation, params.scheme_or_none())
    name = f"accreditation-{accreditation.profile.registry_id}-{accreditation.role}.jwt"
    return Response(
        token,
        mimetype="application/jwt",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
