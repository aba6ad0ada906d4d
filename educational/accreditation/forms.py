"""Forms of the accreditation pages. Choices that come from the scheme (roles, scopes,
specialist areas) are filled in from the ``Scheme`` given when a form is made."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from educational.catalog.content import Scheme
from educational.catalog.scheme import label, named
from educational.core.forms import choices
from educational.core.names import country_choices, country_name
from educational.core.widgets import CountriesField
from educational.experience.forms import CheckboxesField

from .firms import FIRM_STANDARDS
from .models import FirmStatus
from .services import Choices

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "info_requested": _l("Information requested"),
    "first_approval": _l("First approval given"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {"initial": _l("Initial"), "renewal": _l("Renewal")}
ACCREDITATION_STATUS_LABELS = {
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
FIRM_STATUS_LABELS = {
    "active": lazy_pgettext("audit firm status", "Active"),
    "suspended": lazy_pgettext("audit firm status", "Suspended"),
    "withdrawn": lazy_pgettext("audit firm status", "Withdrawn"),
}
FIRM_STANDARD_LABELS = {
    "ISO/IEC 17021-1": "ISO/IEC 17021-1",
    "ISO/IEC 17065": "ISO/IEC 17065",
    "other": _l("Other (an equivalent)"),
}


def scope_value(standard: str, sector: str) -> str:
    return f"{standard}:{sector}"


def scope_choices(scheme: Scheme | None) -> list:
    pairs = []
    for standard in scheme.standards.values() if scheme else ():
        for sector in standard.sectors:
            name = named(scheme, "sectors", sector)
            pairs.append((scope_value(standard.code, sector), f"{standard.code}: {name}"))
    return choices(pairs)


class ChoicesForm(FlaskForm):
    """Role, scopes, countries and specialist areas: what a checklist is evaluated for."""

    role = SelectField(_l("Role"))
    scopes = CheckboxesField(
        _l("Scopes"),
        description=_l("Each standard with a sector of the supply chain you want to audit."),
    )
    countries = CountriesField(
        _l("Countries"), description=_l("The countries you want to audit in. Tick each one.")
    )
    specialist_areas = CheckboxesField(
        _l("Specialist areas"), description=_l("For registered specialists.")
    )

    def __init__(self, *args, scheme: Scheme | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        roles = scheme.roles.values() if scheme else ()
        self.role.choices = choices([("", "—"), *((r.code, label(r)) for r in roles)])
        self.scopes.choices = scope_choices(scheme)
        areas = scheme.specialist_areas.values() if scheme else ()
        self.specialist_areas.choices = choices((a.code, label(a)) for a in areas)

    def choices_data(self) -> Choices:
        scopes = []
        for value in self.scopes.data or ():
            standard, _sep, sector = value.partition(":")
            scopes.append((standard, sector))
        return Choices(
            role=self.role.data or "",
            scopes=scopes,
            countries=list(self.countries.data or ()),
            specialist_areas=list(self.specialist_areas.data or ()),
        )


class ChecklistForm(ChoicesForm):
    """The live checklist on the learner's page: a GET form, nothing is saved."""

    class Meta:
        csrf = False


class ApplicationForm(ChoicesForm):
    consent_to_publish = BooleanField(
        _l(
            "I agree that my name, registry id, accreditations, countries, languages and "
            "firms are published in the public registry and its API once I am accredited."
        ),
        description=_l("You can apply without agreeing; you are then not listed publicly."),
    )
    statement = TextAreaField(
        _l("Note to the secretariat"),
        description=_l("Anything the reviewer should know, e.g. about evidence on its way."),
        validators=[Optional(), Length(max=5000)],
    )

    def choices_data(self) -> Choices:
        data = super().choices_data()
        data.consent_to_publish = bool(self.consent_to_publish.data)
        data.statement = self.statement.data or ""
        return data

    def fill_from(self, application) -> None:
        """Show a saved application (GET)."""
        self.role.data = application.role
        self.scopes.data = [scope_value(s["standard"], s["sector"]) for s in application.scopes]
        self.countries.data = list(application.countries)
        self.specialist_areas.data = list(application.specialist_areas)
        self.consent_to_publish.data = application.consent_to_publish
        self.statement.data = application.statement


class DecisionForm(FlaskForm):
    """Staff's decision on an application; the buttons post ``decision``."""

    decision = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("approve", _l("Approve")),
                ("request_info", _l("Request more information")),
                ("reject", _l("Reject")),
            ]
        ),
    )
    reason = TextAreaField(
        _l("Reason, or what the applicant should provide"),
        description=_l("Required. The applicant reads it, and it goes on the record."),
        validators=[Optional(), Length(max=5000)],
    )
    override_unmet = BooleanField(
        _l("Approve although requirements are unmet (explain why in the reason)")
    )
    #: Partial approval: the requested scopes and countries to grant (choices set by the
    #: view from the application). The page posts ``*_shown`` with each list it shows, so
    #: a list not shown grants everything asked for, and one shown with nothing ticked is
    #: refused rather than read as "all".
    approved_scopes = CheckboxesField(_l("Scopes to approve"), choices=[])
    approved_countries = CheckboxesField(_l("Countries to approve"), choices=[])
    scopes_shown = HiddenField()
    countries_shown = HiddenField()
    narrowing_reason = TextAreaField(
        _l("Why fewer than asked"),
        description=_l(
            "Required when you leave out a scope or a country. The applicant reads it, and it "
            "goes on the record."
        ),
        validators=[Optional(), Length(max=5000)],
    )

    def offer(self, scopes: list[tuple[str, str]], countries: list[tuple[str, str]]) -> None:
        """Offer the requested scopes and countries (value, label), all ticked at first."""
        self.approved_scopes.choices = scopes
        self.approved_countries.choices = countries
        if not self.is_submitted():
            self.approved_scopes.data = [value for value, _label in scopes]
            self.approved_countries.data = [value for value, _label in countries]

    def chosen_scopes(self) -> list[str] | None:
        """The scopes ticked, or None (all asked for) when the page did not list them."""
        return list(self.approved_scopes.data or []) if self.scopes_shown.data else None

    def chosen_countries(self) -> list[str] | None:
        return list(self.approved_countries.data or []) if self.countries_shown.data else None


class StatusChangeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Required. The holder reads it, and it goes on the record."),
        validators=[Optional(), Length(max=5000)],
    )


class FirmForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    country = SelectField(_l("Country"))
    accreditation_body = StringField(
        _l("Accreditation body"),
        description=_l("Recognised by the IAF or EA, e.g. DAkkS, UKAS, ANAB."),
        validators=[InputRequired(), Length(max=200)],
    )
    accreditation_standard = SelectField(
        _l("Accredited to"),
        choices=choices([("", "—"), *((s, FIRM_STANDARD_LABELS[s]) for s in FIRM_STANDARDS)]),
    )
    status = SelectField(
        _l("Status"), choices=choices((s.value, FIRM_STATUS_LABELS[s]) for s in FirmStatus)
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()


class AttachForm(FlaskForm):
    registry_id = StringField(
        _l("Registry id"),
        description=_l("Of an accredited person, e.g. ASI-000123."),
        validators=[InputRequired(), Length(max=40)],
    )
    since = DateField(_l("Attached since"), validators=[InputRequired(_l("Enter a date."))])


class DetachForm(FlaskForm):
    until = DateField(_l("Attached until"), validators=[InputRequired(_l("Enter a date."))])


LABELS = {
    "status": STATUS_LABELS,
    "kind": KIND_LABELS,
    "accreditation_status": ACCREDITATION_STATUS_LABELS,
    "firm_status": FIRM_STATUS_LABELS,
    "firm_standard": FIRM_STANDARD_LABELS,
}


def template_labels() -> dict:
    """For the accreditation templates."""
    return {"labels": LABELS, "country_name": country_name}
