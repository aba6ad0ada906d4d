"""The registry's forms. All three are GET forms (a search or a question changes nothing),
so they carry no CSRF token and their answers can be bookmarked. They only render the
fields: the values are checked by ``schemas`` (the same schemas as the API), whose
``DomainError`` is shown beside the field at fault."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields import DateField

from educational.accreditation.forms import ACCREDITATION_STATUS_LABELS
from educational.catalog.content.model import Scheme
from educational.catalog.scheme import label
from educational.core.forms import choices
from educational.core.names import country_choices, language_choices

from .search import SORTS

#: An accreditation's status, as the accreditation pages name it.
STATUS_LABELS = ACCREDITATION_STATUS_LABELS
EVENT_LABELS = {
    "new": _l("Accredited"),
    "suspended": _l("Suspended"),
    "reinstated": _l("Reinstated"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
CHECK_LABELS = {
    "accreditation_active": _l("Accreditation active"),
    "scope_standard": _l("Standard in scope"),
    "standard_version_current": _l("Standard version current"),
    "scope_sector": _l("Sector in scope"),
    "country": _l("Country covered"),
    "training_current": _l("Training current"),
    "conflict_of_interest": _l("No conflict of interest"),
}
SORT_LABELS = {
    "name": _l("Name"),
    "registry_id": _l("Registry id"),
    "valid_until": _l("Longest validity first"),
}


class _GetForm(FlaskForm):
    class Meta:
        csrf = False


def _scheme_choices(scheme: Scheme | None, attribute: str, empty) -> list:
    known = getattr(scheme, attribute) if scheme else {}
    return choices([("", empty), *((code, label(item)) for code, item in known.items())])


def _fill(form, scheme: Scheme | None, empty) -> None:
    form.role.choices = _scheme_choices(scheme, "roles", empty)
    form.standard.choices = _scheme_choices(scheme, "standards", empty)
    form.sector.choices = _scheme_choices(scheme, "sectors", empty)
    form.country.choices = [choices([("", empty)])[0], *country_choices()[1:]]


class RegistrySearchForm(_GetForm):
    q = StringField(_l("Name or registry id"))
    role = SelectField(_l("Role"), validate_choice=False)
    standard = SelectField(_l("Standard"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    sort = SelectField(_l("Sort by"), validate_choice=False)

    def __init__(self, scheme: Scheme | None, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _fill(self, scheme, _l("Any"))
        self.language.choices = [choices([("", _l("Any"))])[0], *language_choices()[1:]]
        self.status.choices = choices([*STATUS_LABELS.items(), ("any", _l("Any status"))])
        self.sort.choices = choices((key, SORT_LABELS[key]) for key in SORTS)


class _ScopeForm(_GetForm):
    role = SelectField(_l("Role"), validate_choice=False)
    standard = SelectField(_l("Standard"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    country = SelectField(_l("Country of the audit"), validate_choice=False)
    date = DateField(
        _l("Date of the audit"), description=_l("Leave empty for today. Format: YYYY-MM-DD.")
    )

    def __init__(self, scheme: Scheme | None, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _fill(self, scheme, "—")


class EligibilityForm(_ScopeForm):
    registry_id = StringField(
        _l("Registry id of the auditor"),
        description=_l("As in the public registry, e.g. ASI-000123."),
    )
    entity = StringField(
        _l("Your entity (optional)"),
        description=_l(
            "The audited organisation, to check for a declared conflict of interest in the "
            "last three years."
        ),
    )


class ShortlistForm(_ScopeForm):
    pass
