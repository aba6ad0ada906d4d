from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from .services import MAX_REASON_LENGTH


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[DataRequired(), Length(max=MAX_REASON_LENGTH)],
        description=_l(
            "Shown on the public verification page to anyone who checks this certificate."
        ),
    )
