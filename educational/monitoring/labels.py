"""What assessment kinds, results and the reasons a witness is due are called, in the
reader's language (lazy: made when shown)."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "witness": _l("Witness assessment"),
    "report_review": _l("Report review"),
}
RESULT_LABELS = {
    "satisfactory": _l("Satisfactory"),
    "minor_concerns": _l("Minor concerns"),
    "major_concerns": _l("Major concerns"),
}
#: Why the next witness is due, as the staff list and the person's page say it.
FACTOR_LABELS = {
    "upheld_complaint": _l("upheld complaint"),
    "major_concerns": _l("major concerns"),
    "minor_concerns": _l("minor concerns"),
    "new_sector": _l("new sector in scope"),
    "interval": _l("time since the last witness"),
    "cycle": _l("not witnessed yet this cycle"),
}
