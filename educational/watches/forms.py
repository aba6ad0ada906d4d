from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from educational.core.forms import choices

from .models import Delivery

DELIVERY_LABELS = {
    Delivery.EMAIL: _l("Daily e-mail digest"),
    Delivery.WEBHOOK: _l("Webhook to my endpoints"),
}


class WatchForm(FlaskForm):
    delivery = RadioField(
        _l("How to tell you of changes"),
        choices=choices(DELIVERY_LABELS.items()),
        default=Delivery.EMAIL,
    )


class EndpointForm(FlaskForm):
    url = StringField(
        _l("Endpoint address (https://…)"), validators=[DataRequired(), Length(max=2000)]
    )
