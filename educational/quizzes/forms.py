from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from educational.core.forms import WholeNumberField


class OverrideForm(FlaskForm):
    email = EmailField(_l("Learner's e-mail address"), validators=[DataRequired(), Length(max=320)])
    extra_minutes = WholeNumberField(
        _l("Extra time (minutes)"),
        validators=[Optional(), NumberRange(min=0, max=10000)],
        default=0,
    )
    extra_attempts = WholeNumberField(
        _l("Extra attempts"), validators=[Optional(), NumberRange(min=0, max=100)], default=0
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l(
            "Recorded in the audit trail, e.g. the accessibility accommodation granted."
        ),
    )
