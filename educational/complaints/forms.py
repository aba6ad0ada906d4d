"""The complaint forms: lodging (anyone), the staff workflow, the subject's response."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from educational.core.forms import choices

from .models import OUTCOME_LABELS
from .services import MAX_DESCRIPTION, MAX_TEXT


class ComplaintForm(FlaskForm):
    description = TextAreaField(
        _l("What happened"),
        description=_l(
            "When and where, what the person or firm did, and who was affected. The person or "
            "firm may read this description; they never learn who complained."
        ),
        validators=[
            InputRequired(_l("Describe what happened.")),
            Length(max=MAX_DESCRIPTION),
        ],
    )
    evidence = MultipleFileField(_l("Evidence files (optional)"))
    name = StringField(
        _l("Your name (optional)"),
        description=_l("Seen by the secretariat only, never by the person or firm."),
        validators=[Optional(), Length(max=200)],
    )
    email = EmailField(
        _l("Your e-mail address (optional)"),
        description=_l(
            "For the acknowledgement and the outcome. Seen by the secretariat only, never by "
            "the person or firm."
        ),
        validators=[Optional(), Email(_l("Enter a valid e-mail address.")), Length(max=320)],
    )


class ActionForm(FlaskForm):
    """A button with nothing to type (acknowledge): the CSRF token only."""


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Investigation note"),
        description=_l("Internal: only staff read it."),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )


class InviteForm(FlaskForm):
    message = TextAreaField(
        _l("What the person should answer"),
        description=_l(
            "The person reads this with the complaint's description. Do not name or hint at "
            "the complainant."
        ),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )


class DecideForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=choices(OUTCOME_LABELS.items()),
        validators=[InputRequired(_l("Choose an outcome."))],
    )
    accreditation_id = SelectField(
        _l("Accreditation to suspend or withdraw"),
        description=_l("Only for a suspension or a withdrawal."),
        choices=[],
        validate_choice=False,
    )
    reasons = TextAreaField(
        _l("Reasons"),
        description=_l(
            "Required. The complainant and the person or firm read them; a suspension or "
            "withdrawal records them with the complaint's reference."
        ),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )


class CloseForm(FlaskForm):
    close_reasons = TextAreaField(
        _l("Why the complaint is closed without a decision"),
        description=_l("Required. The complainant reads it."),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )


class ResponseForm(FlaskForm):
    response = TextAreaField(
        _l("Your response"),
        description=_l("The secretariat reads it before deciding."),
        validators=[Optional(), Length(max=MAX_DESCRIPTION)],
    )
