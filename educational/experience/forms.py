"""One form per kind of entry (field names are the model's columns), and the staff decision.
Choices that depend on the scheme (standards, versions, sectors, specialist areas,
qualification kinds) are filled in from ``current_scheme()`` when a form is made."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from educational.catalog.content import Scheme
from educational.catalog.scheme import label
from educational.core.forms import WholeNumberField, choices
from educational.core.names import country_choices, language_choices
from educational.core.params import MAX_ID, parse_int

# LABELS is imported from here by other features.
from .labels import (  # noqa: F401
    AUDIT_ROLE_LABELS,
    AUDIT_TYPE_LABELS,
    LABELS,
    NATURE_LABELS,
    PROFICIENCY_LABELS,
    QUALIFICATION_KIND_LABELS,
)
from .models import ENTRY_KINDS
from .validation import MAX_TEAM_SIZE, qualification_kinds


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a group of check boxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _required_date(label):
    return DateField(label, validators=[InputRequired(_l("Enter a date."))])


def _days(label, description):
    return DecimalField(
        label,
        places=1,
        description=description,
        widget=NumberInput(step="0.5", min=0),
        validators=[InputRequired(_l("Enter a number of days (0 if none)."))],
    )


class EntryForm(FlaskForm):
    """Fields every kind shares; ``kind`` names the model in ``ENTRY_KINDS``."""

    kind = ""
    evidence = MultipleFileField(_l("Evidence files"))

    def __init__(self, *args, scheme: Scheme | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fill_choices(scheme)

    def fill_choices(self, scheme: Scheme | None) -> None:
        """Set the choices that come from the scheme."""

    def entry_data(self) -> dict:
        """The values for the service, by model column."""
        return {name: self[name].data for name in ENTRY_KINDS[self.kind].FIELDS}

    @property
    def entry_fields(self) -> list:
        return [self[name] for name in ENTRY_KINDS[self.kind].FIELDS]


class AuditForm(EntryForm):
    kind = "audit"
    start_date = _required_date(_l("First day of the audit"))
    end_date = _required_date(_l("Last day of the audit"))
    onsite_days = _days(_l("On-site days"), _l("Your days at the audited site, in half days."))
    offsite_days = _days(
        _l("Off-site days"), _l("Preparation, document review and reporting, in half days.")
    )
    audit_role = SelectField(
        _l("Your role"), choices=choices([("", "—"), *AUDIT_ROLE_LABELS.items()])
    )
    team_size = WholeNumberField(
        _l("Team size"),
        description=_l("Auditors in the team, yourself included."),
        widget=NumberInput(min=1, max=MAX_TEAM_SIZE),
        validators=[InputRequired(_l("Enter the team size.")), NumberRange(1, MAX_TEAM_SIZE)],
    )
    standard = SelectField(_l("Standard"))
    standard_version = SelectField(_l("Version of the standard"))
    sectors = CheckboxesField(
        _l("Sectors"),
        description=_l(
            "The supply-chain activities the audit covered; the standard must cover them."
        ),
    )
    country = SelectField(_l("Country"), choices=country_choices)
    entity = StringField(
        _l("Audited organisation or site"), validators=[InputRequired(), Length(max=200)]
    )
    audit_type = SelectField(
        _l("Type of audit"), choices=choices([("", "—"), *AUDIT_TYPE_LABELS.items()])
    )
    reference_name = StringField(
        _l("Reference: name"),
        description=_l(
            "Someone independent of you who can confirm the audit, e.g. the lead auditor "
            "or the certification body."
        ),
        validators=[InputRequired(), Length(max=200)],
    )
    reference_contact = StringField(
        _l("Reference: e-mail or telephone"), validators=[InputRequired(), Length(max=200)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    def fill_choices(self, scheme: Scheme | None) -> None:
        standards = scheme.standards.values() if scheme else ()
        self.standard.choices = choices(
            [("", "—"), *((s.code, f"{s.code}: {label(s)}") for s in standards)]
        )
        versions = sorted({v.version for s in standards for v in s.versions})
        self.standard_version.choices = choices(
            [("", "—"), *((v, _l("Version %(v)s", v=v)) for v in versions)]
        )
        sectors = scheme.sectors.values() if scheme else ()
        self.sectors.choices = choices((s.code, label(s)) for s in sectors)
        # Say which sectors only some standards cover, so a mismatch is not a surprise.
        limited = [
            _(
                "%(sector)s: %(standards)s only.",
                sector=label(sector),
                standards=", ".join(s.code for s in standards if sector.code in s.sectors),
            )
            for sector in sectors
            if any(sector.code not in s.sectors for s in standards)
        ]
        if limited:
            self.sectors.description = f"{self.sectors.description} {' '.join(limited)}"


class WorkForm(EntryForm):
    kind = "work"
    employer = StringField(_l("Employer"), validators=[InputRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[InputRequired(), Length(max=200)])
    sector = SelectField(
        _l("Sector"), description=_l("Leave empty if the work was outside these sectors.")
    )
    country = SelectField(_l("Country"), choices=country_choices)
    start_date = _required_date(_l("From"))
    end_date = DateField(
        _l("To"),
        description=_l("Leave empty if you hold the position today."),
        validators=[Optional()],
    )
    specialist_areas = CheckboxesField(
        _l("Specialist areas"),
        description=_l("Areas this work gave you experience in, if any."),
    )
    description = TextAreaField(_l("What you did"), validators=[Optional(), Length(max=5000)])

    def fill_choices(self, scheme: Scheme | None) -> None:
        sectors = scheme.sectors.values() if scheme else ()
        self.sector.choices = choices([("", "—"), *((s.code, label(s)) for s in sectors)])
        areas = scheme.specialist_areas.values() if scheme else ()
        self.specialist_areas.choices = choices((a.code, label(a)) for a in areas)

    def entry_data(self) -> dict:
        data = super().entry_data()
        data["sector"] = data["sector"] or None
        return data


class QualificationForm(EntryForm):
    kind = "qualification"
    title = StringField(
        _l("Qualification"),
        description=_l("Its name as on the certificate."),
        validators=[InputRequired(), Length(max=200)],
    )
    issuer = StringField(_l("Issued by"), validators=[InputRequired(), Length(max=200)])
    qualification_kind = SelectField(_l("Kind"))
    obtained_on = _required_date(_l("Obtained on"))
    expires_on = DateField(
        _l("Expires on"),
        description=_l("Leave empty if it does not expire."),
        validators=[Optional()],
    )

    def fill_choices(self, scheme: Scheme | None) -> None:
        self.qualification_kind.choices = choices(
            [
                ("", "—"),
                *(
                    (kind, QUALIFICATION_KIND_LABELS.get(kind, kind.replace("-", " ").capitalize()))
                    for kind in qualification_kinds(scheme)
                ),
            ]
        )


class LanguageForm(EntryForm):
    kind = "language"
    language = SelectField(_l("Language"), choices=language_choices)
    proficiency = SelectField(
        _l("Level"),
        description=_l("Common European Framework of Reference (CEFR) level, or native."),
        choices=choices([("", "—"), *PROFICIENCY_LABELS.items()]),
    )


class ConflictForm(EntryForm):
    kind = "conflict"
    entity = StringField(
        _l("Organisation"),
        description=_l("The company or site you consulted for or worked for."),
        validators=[InputRequired(), Length(max=200)],
    )
    nature = SelectField(
        _l("Nature of the link"), choices=choices([("", "—"), *NATURE_LABELS.items()])
    )
    start_date = _required_date(_l("From"))
    end_date = DateField(
        _l("To"), description=_l("Leave empty if the link continues."), validators=[Optional()]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class CpdForm(EntryForm):
    kind = "cpd"
    activity_date = _required_date(_l("Date of the activity"))
    hours = DecimalField(
        _l("Hours"),
        places=None,
        description=_l("With at most one decimal, or in quarter hours: e.g. 3, 1.5 or 0.25."),
        widget=NumberInput(step="any", min=0),
        validators=[InputRequired(_l("Enter the hours the activity took."))],
    )
    category = SelectField(_l("Category"))
    provider = StringField(
        _l("Provider"),
        description=_l("Who ran it: a training body, a conference; “self” for self-study."),
        validators=[InputRequired(), Length(max=200)],
    )
    description = TextAreaField(
        _l("What you did and learnt"), validators=[InputRequired(), Length(max=5000)]
    )

    def fill_choices(self, scheme: Scheme | None) -> None:
        categories = scheme.cpd_categories.values() if scheme else ()
        self.category.choices = choices([("", "—"), *((c.code, label(c)) for c in categories)])
        caps = [
            _(
                "%(category)s: at most %(n)d hours count per cycle.",
                category=label(c),
                n=c.max_hours_per_cycle,
            )
            for c in categories
            if c.max_hours_per_cycle
        ]
        if caps:
            self.category.description = " ".join(caps)


FORMS: dict[str, type[EntryForm]] = {
    "audit": AuditForm,
    "work": WorkForm,
    "qualification": QualificationForm,
    "language": LanguageForm,
    "conflict": ConflictForm,
    "cpd": CpdForm,
}


class DecisionForm(FlaskForm):
    """Staff's decision on a submitted entry; the buttons post ``decision``."""

    decision = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("verify", _l("Verify")),
                ("reject", _l("Reject")),
                ("request_info", _l("Request more information")),
            ]
        ),
    )
    comment = TextAreaField(
        _l("Comment to the learner"),
        description=_l("Required to reject (the reason) or to ask for more information."),
        validators=[Optional(), Length(max=2000)],
    )
    #: The entry's revision the reviewer saw.
    revision = HiddenField()


class BulkVerifyForm(FlaskForm):
    """Verify the entries ticked in the staff queue. Each checkbox (``entry``) posts
    ``<entry id>:<revision shown>``, read with ``selected_entries``; the form itself carries
    the CSRF token."""


def selected_entries(values: list[str]) -> dict[int, int | None]:
    """Entry id -> the revision the reviewer saw (None when unreadable, which no entry has:
    such an entry is skipped as changed). Values that name no entry id are ignored."""
    selection: dict[int, int | None] = {}
    for value in values:
        entry_id, _sep, revision = value.partition(":")
        number = parse_int(entry_id, minimum=1, maximum=MAX_ID)
        if number is not None:
            selection[number] = parse_int(revision, minimum=0, maximum=MAX_ID)
    return selection
