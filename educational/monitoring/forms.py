"""The staff's form to record a witness assessment or a report review."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from educational.catalog.content import Scheme
from educational.catalog.scheme import label
from educational.core.forms import choices
from educational.core.names import country_choices
from educational.core.params import parse_int

from .labels import KIND_LABELS, RESULT_LABELS
from .services import TEXT_LIMITS


def _accreditation_id(value):
    if isinstance(value, int):
        return value
    return parse_int(value) if value else None


class AssessmentForm(FlaskForm):
    accreditation_id = SelectField(
        _l("Accredited person"),
        coerce=_accreditation_id,
        validators=[InputRequired(_l("Choose the person assessed."))],
    )
    kind = RadioField(
        _l("Kind"),
        choices=choices(KIND_LABELS.items()),
        default="witness",
        validators=[InputRequired(_l("Choose a witness assessment or a report review."))],
    )
    assessed_on = DateField(
        _l("Date of the audit or review"),
        validators=[InputRequired(_l("Enter a date."))],
    )
    entity = StringField(
        _l("Audited entity"),
        validators=[
            InputRequired(_l("Enter the audited entity.")),
            Length(max=TEXT_LIMITS["entity"]),
        ],
    )
    standard = SelectField(
        _l("Standard"), validators=[InputRequired(_l("Choose the standard audited against."))]
    )
    sector = SelectField(_l("Sector"), validators=[Optional()])
    country = SelectField(
        _l("Country"), validators=[InputRequired(_l("Choose the country of the audit."))]
    )
    assessor_name = StringField(
        _l("Assessor"),
        description=_l("Who witnessed the audit or reviewed the report."),
        validators=[
            InputRequired(_l("Enter the assessor's name.")),
            Length(max=TEXT_LIMITS["assessor_name"]),
        ],
    )
    result = RadioField(
        _l("Result"),
        choices=choices(RESULT_LABELS.items()),
        validators=[InputRequired(_l("Choose the result."))],
    )
    notes = TextAreaField(
        _l("Notes"),
        description=_l(
            "The person assessed sees these notes on their page and may appeal a result "
            "other than satisfactory. Write them for the person."
        ),
        validators=[Optional(), Length(max=TEXT_LIMITS["notes"])],
    )
    evidence = MultipleFileField(_l("Evidence files"))

    def __init__(self, *args, scheme: Scheme | None, people: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.accreditation_id.choices = [
            SelectChoice("", _l("Choose…")),
            *(SelectChoice(value, text) for value, text in people),
        ]
        standards = scheme.standards.values() if scheme else ()
        sectors = scheme.sectors if scheme else {}
        self.standard.choices = choices(
            [("", _l("Choose…")), *((s.code, label(s)) for s in standards)]
        )
        self.sector.choices = choices(
            [("", _l("Not given")), *((code, label(sector)) for code, sector in sectors.items())]
        )
        self.country.choices = [SelectChoice("", _l("Choose…")), *country_choices()]

    def assessment_data(self) -> dict:
        return {
            name: self[name].data
            for name in (
                "accreditation_id",
                "kind",
                "assessed_on",
                "entity",
                "standard",
                "sector",
                "country",
                "assessor_name",
                "result",
                "notes",
            )
        }
