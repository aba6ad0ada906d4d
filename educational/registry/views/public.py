"""The public registry (no log-in): search, CSV export, a person's page, firms, statistics.
Only people who consented to publication appear on any of these pages."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _

from educational.catalog.scheme import current_scheme
from educational.core.db import today
from educational.core.export import csv_response
from educational.core.names import country_name
from educational.core.pagination import Page
from educational.core.permissions import public
from educational.core.transaction import flash_errors, form_errors

from .. import charts, csvexport, limits, queries
from ..fields import clean_text
from ..forms import RegistrySearchForm
from ..schemas import PageNumber, RegistrySearch, load
from ..snapshot import latest_statistics
from . import bp, template_labels

PER_PAGE = 20


@bp.get("/registry")
@public
@limits.page_limit
def index():
    scheme = current_scheme()
    form = RegistrySearchForm(scheme, formdata=request.args)
    day = today()
    query, results = None, Page([], 0, 1, PER_PAGE)
    with form_errors(form):
        query = load(RegistrySearch(), request.args)
        page = load(PageNumber(), request.args)
        results = queries.registry_page(query, scheme, day, page, PER_PAGE)
    return render_template(
        "registry/index.html",
        form=form,
        results=results,
        query=query,
        today=day,
        **template_labels(scheme),
    )


@bp.get("/registry.csv")
@public
@limits.csv_limit
def export():
    with flash_errors(url_for("registry.index")):
        query = load(RegistrySearch(), request.args)
    day = today()
    return csv_response(
        csvexport.registry_csv(query, current_scheme(), day), f"registry-{day.isoformat()}.csv"
    )


@bp.get("/registry/<registry_id>")
@public
@limits.page_limit
def person(registry_id: str):
    day = today()
    entry = queries.public_entry(clean_text(registry_id, 40), day, with_history=True)
    if entry is None:
        abort(404)
    return render_template(
        "registry/person.html", entry=entry, today=day, **template_labels(current_scheme())
    )


@bp.get("/registry/firms")
@public
@limits.page_limit
def firms():
    return render_template(
        "registry/firms.html",
        firms=queries.firms(),
        counts=queries.people_per_firm(today()),
        country_name=country_name,
    )


@bp.get("/registry/firms/<int:firm_id>")
@public
@limits.page_limit
def firm(firm_id: int):
    found = queries.firm(firm_id) or abort(404)
    day = today()
    return render_template(
        "registry/firm.html",
        firm=found,
        entries=queries.firm_entries(firm_id, day),
        today=day,
        **template_labels(current_scheme()),
    )


@bp.get("/registry/statistics")
@public
@limits.page_limit
def statistics():
    """The stored snapshot (``snapshot``): never computed on a visitor's request."""
    labels = template_labels(current_scheme())
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
