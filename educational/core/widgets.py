"""The country picker: a multiple choice of countries that works everywhere.

A ``<select multiple>`` of 250 countries needs Ctrl-click, which touch screens do not have.
The picker is a scrollable group of check boxes (the chosen countries first), one form field
with one value per ticked box, so the server reads and validates it like any multiple choice.
``static/js/countries.js`` adds, where JavaScript runs, a filter above the list and the chosen
countries as tags with a remove button. The markup is the macro in ``templates/_countries.html``,
so every form with countries shows the same picker."""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup
from wtforms import SelectMultipleField

from .names import country_choices


class CountryPicker:
    """Renders a multiple choice of countries with the ``country_picker`` macro, which labels
    and describes the field itself (attributes given when rendering are not used)."""

    def __call__(self, field, **kwargs) -> Markup:
        picker = get_template_attribute("_countries.html", "country_picker")
        # An autoescaped template's macro returns Markup, its values escaped.
        return picker(field)


def _countries() -> list:
    return country_choices()[1:]  # every country, without the empty choice


class CountriesField(SelectMultipleField):
    """Several countries (ISO 3166-1 alpha-2 codes), by name in the reader's language and in
    its collation order, shown as the country picker."""

    widget = CountryPicker()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("choices", _countries)
        super().__init__(label, validators, **kwargs)
