"""Panels: boxes a higher feature adds to a page of a lower one, as ``add_nav`` adds links.

The learner's dashboard (catalog) shows a running timed exam (quizzes) and the courses the
learner's scope still needs (accreditation); a quiz's review page (quizzes) shows the course's
completion and certificate (learning). The lower page names a place and includes, in order,
what each panel there returns; each feature registers its panels in its ``init_app``. Core
imports no feature, and no page imports the features above it. Panels only read: they run
inside a GET."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app


@dataclass(frozen=True)
class Shown:
    """A panel to show: its template, included by the page, reads ``panel.data``."""

    template: str
    data: dict[str, Any] = field(default_factory=dict)


#: A panel: the page's objects (keyword arguments) in, what to show (or None) out.
Panel = Callable[..., Shown | None]


def add_panel(app: Flask, place: str, panel: Panel) -> None:
    """Show ``panel(**context)`` where a template includes ``panels(place, **context)``:

    {% for panel in panels("dashboard", user=current_user) %}{% include panel.template %}
    {% endfor %}"""
    app.extensions.setdefault("panels", {}).setdefault(place, []).append(panel)
    app.jinja_env.globals.setdefault("panels", panels)


def panels(place: str, **context) -> list[Shown]:
    """What the panels of ``place`` show, in the order the features registered them."""
    entries = current_app.extensions.get("panels", {}).get(place, [])
    return [shown for panel in entries if (shown := panel(**context)) is not None]
