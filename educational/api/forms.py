"""The forms of the members' API tokens page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .tokens import MAX_NAME_LENGTH


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name of the new token"),
        validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
        description=_l("What will use it, such as “Supplier portal”. Only you see it."),
    )


class RevokeForm(FlaskForm):
    """Only the CSRF token: the token to revoke is in the URL."""
