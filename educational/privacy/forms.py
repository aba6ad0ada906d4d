from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from educational.core.forms import choices


class ErasureForm(FlaskForm):
    understood = BooleanField(
        _l(
            "I understand that my account, my experience records, my evidence files and my "
            "answers will be erased and cannot be brought back."
        ),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class ErasureDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices([("approve", _l("Erase the data")), ("reject", _l("Reject the request"))]),
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Reason (required to reject; shown to the person)"), validators=[Length(max=5000)]
    )
