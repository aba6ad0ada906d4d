"""The public registry (no log-in): search, CSV export, a person's page, firms, statistics.
Only people who consented to publication appear on any of these pages."""

from datetime import timedelta

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from educational.catalog.scheme import current_scheme
from educational.core.db import today
from educational.core.export import csv_response
from educational.core.names import country_name
from educational.core.pagination import Page
from educational.core.permissions import public
from educational.core.records import next_midnight
from educational.core.transaction import flash_errors, form_errors

from .. import asof, charts, csvexport, limits, queries
from ..fields import clean_text
from ..forms import RegistrySearchForm
from ..schemas import PageNumber, RegistrySearch, first_error, load
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
    registry_id = clean_text(registry_id, 40)
    # ``?on=YYYY-MM-DD``: the entry as it was at the end of that day (``asof``). A wrong
    # day is shown beside the date form, filled in, over today's entry.
    asked, on, on_error = request.args.get("on", "").strip(), None, None
    if asked:
        try:
            on = asof.OnDay().load({"on": asked})["on"]
        except ValidationError as error:
            on_error = first_error(error.messages)[0]
    entry = (
        asof.entry_on(registry_id, on)
        if on is not None
        else queries.public_entry(registry_id, day, with_history=True)
    )
    if entry is None:
        abort(404)
    scheme = current_scheme()
    page = render_template(
        "registry/person.html",
        entry=entry,
        # Appeals and complaints as they stand now: not for a past day.
        published=queries.published(entry, scheme) if on is None else queries.Published(),
        today=day,
        on=on,
        asked=asked,
        on_error=on_error,
        # The end of the day asked, shown in the reader's zone with the zone named.
        on_moment=next_midnight(on) - timedelta(minutes=1) if on else None,
        **template_labels(scheme),
    )
    return page, 400 if on_error else 200


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
