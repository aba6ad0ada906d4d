"""Small helpers shared by the features' forms and views."""

from flask import flash, request
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice

from .errors import DomainError
from .params import MAX_ID, clean_text, parse_int


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal beside the field at fault, or as a message at the top; the
    form keeps everything the user typed."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def query_text(name: str, limit: int = 200) -> str:
    """A free-text query argument as searched: control characters dropped (NUL among them,
    which PostgreSQL refuses in text: a 500), spaces trimmed, at most ``limit`` characters."""
    return clean_text(request.args.get(name, ""), limit)


#: Pages beyond this are past any real list; their offset would overflow the database's
#: integers (a 500) instead of showing an empty page.
MAX_PAGE = 100_000


def requested_page() -> int:
    """The ``page`` query argument for ``db.paginate``: a whole number from 1 to MAX_PAGE
    (anything else is the first page, a larger number the last)."""
    page = parse_int(request.args.get("page"), minimum=1, maximum=None) or 1
    return min(page, MAX_PAGE)


class WholeNumberField(IntegerField):
    """An ``IntegerField`` read by ``parse_int`` (ASCII digits, bounded), not by ``int()``,
    which takes "٣", full-width digits and "1_000", and spends its time on thousands of
    digits. Numbers within the database's integers reach the field's validators, which then
    say the allowed range."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        self.data = parse_int(valuelist[0], minimum=-MAX_ID, maximum=MAX_ID)
        if self.data is None:
            raise ValueError(
                self.invalid_value_message or self.gettext("Not a valid integer value.")
            )
