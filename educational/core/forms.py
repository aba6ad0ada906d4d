"""Small helpers shared by the features' forms and views."""

from flask import flash
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from .errors import DomainError


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
