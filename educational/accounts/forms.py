from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from educational.core.forms import choices
from educational.core.names import LANGUAGE_NAMES, country_choices
from educational.core.permissions import Role

from .models import MembershipClass
from .services import MIN_PASSWORD_LENGTH

#: What the account roles and membership classes are called on the pages.
ROLE_LABELS = {
    Role.LEARNER: _l("learner"),
    Role.MEMBER: _l("member"),
    Role.STAFF: _l("staff"),
    Role.ADMIN: _l("admin"),
}
MEMBERSHIP_CLASS_LABELS = {
    MembershipClass.PRODUCTION_TRANSFORMATION: _l("Production transformation"),
    MembershipClass.INDUSTRIAL_USERS: _l("Industrial users"),
    MembershipClass.CIVIL_SOCIETY: _l("Civil society"),
    MembershipClass.DOWNSTREAM_SUPPORTERS: _l("Downstream supporters"),
    MembershipClass.ASSOCIATIONS: _l("Associations"),
    MembershipClass.GENERAL_SUPPORTERS: _l("General supporters"),
}


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return choices((name, name.replace("_", " ")) for name in sorted(available_timezones()))


def _new_password(label):
    return PasswordField(
        label,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
    )


def _repeat(field: str):
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo(field, message=_l("The two passwords differ."))],
    )


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As it should appear on certificates and in the public registry."),
    )
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=320)])
    password = _new_password(_l("Password"))
    password2 = _repeat("password")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=320)])


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("New password"))
    password2 = _repeat("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = _new_password(_l("New password"))
    password2 = _repeat("password")


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As it should appear on certificates and in the public registry."),
    )
    timezone = SelectField(
        _l("Time zone"),
        choices=timezone_choices,
        description=_l("Times on the pages and in your e-mails are shown in this zone."),
    )
    locale = SelectField(_l("Preferred language"), choices=choices(LANGUAGE_NAMES.items()))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))
    organisation = SelectField(_l("Member organisation"), coerce=str, validators=[Optional()])
    active = BooleanField(_l("Account active"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    membership_class = SelectField(
        _l("Membership class"),
        choices=choices(MEMBERSHIP_CLASS_LABELS.items()),
    )
    country = SelectField(_l("Country"), choices=country_choices, validators=[Optional()])


class NameDecisionForm(FlaskForm):
    """Staff's decision on a change of name; the buttons post ``decision``."""

    decision = SelectField(
        _l("Decision"),
        choices=choices([("accept", _l("Accept")), ("reject", _l("Reject"))]),
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Required. The person reads it, and it goes on the record."),
        validators=[Optional(), Length(max=2000)],
    )
