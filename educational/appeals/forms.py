"""Forms of the appeals pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from educational.core.forms import choices

from .services import MAX_GROUNDS, MAX_REASONS, OUTCOME_LABELS


class LodgeForm(FlaskForm):
    grounds = TextAreaField(
        _l("Your grounds for appeal"),
        description=_l(
            "Why the decision should be changed: what was wrong or missing. Staff who took no "
            "part in the decision read it."
        ),
        validators=[
            InputRequired(_l("Write your grounds: why the decision should be changed.")),
            Length(max=MAX_GROUNDS),
        ],
    )
    evidence = MultipleFileField(_l("Evidence files (optional)"))


class DecideForm(FlaskForm):
    outcome = RadioField(
        _l("Decision on the appeal"),
        choices=choices(OUTCOME_LABELS.items()),
        validators=[
            InputRequired(_l("Choose whether the original decision is upheld or overturned."))
        ],
    )
    reasons = TextAreaField(
        _l("Reasons"),
        description=_l("Required. The appellant reads them, and they go on the record."),
        validators=[
            InputRequired(_l("Write the reasons for the decision; the appellant reads them.")),
            Length(max=MAX_REASONS),
        ],
    )


class SendBackForm(FlaskForm):
    comment = TextAreaField(
        _l("Why you do not confirm it"),
        validators=[
            InputRequired(_l("Write why you do not confirm the proposed decision.")),
            Length(max=MAX_REASONS),
        ],
    )


class ActionForm(FlaskForm):
    """A button only (confirm, start review, withdraw): the CSRF token."""
