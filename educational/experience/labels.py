"""What codes are called on the pages: kinds, statuses, roles, types, levels. Given to the
experience templates as ``labels``, with the names of countries and languages."""

from flask_babel import lazy_gettext as _l

from educational.core.names import country_name, language_name

KIND_LABELS = {
    "audit": _l("Audits"),
    "work": _l("Work experience"),
    "qualification": _l("Qualifications"),
    "language": _l("Languages"),
    "cpd": _l("Continuing professional development (CPD)"),
    "conflict": _l("Conflict-of-interest declarations"),
}
ADD_LABELS = {
    "audit": _l("Add an audit"),
    "work": _l("Add work experience"),
    "qualification": _l("Add a qualification"),
    "language": _l("Add a language"),
    "cpd": _l("Log a CPD activity"),
    "conflict": _l("Declare a conflict of interest"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for verification"),
    "verified": _l("Verified"),
    "rejected": _l("Rejected"),
    "info_requested": _l("Information requested"),
    "declared": _l("Declared"),
}
AUDIT_ROLE_LABELS = {
    "lead": _l("Lead auditor"),
    "auditor": _l("Auditor"),
    "auditor_in_training": _l("Auditor in training"),
    "observer": _l("Observer"),
    "specialist": _l("Technical specialist"),
}
AUDIT_TYPE_LABELS = {
    "certification": _l("Certification"),
    "surveillance": _l("Surveillance"),
    "recertification": _l("Recertification"),
    "other": _l("Other"),
}
NATURE_LABELS = {
    "consulting": _l("Consulting"),
    "employment": _l("Employment"),
    "other": _l("Other"),
}
PROFICIENCY_LABELS = {
    "A1": _l("A1 (beginner)"),
    "A2": _l("A2 (elementary)"),
    "B1": _l("B1 (intermediate)"),
    "B2": _l("B2 (upper intermediate)"),
    "C1": _l("C1 (advanced)"),
    "C2": _l("C2 (proficient)"),
    "native": _l("Native speaker"),
}
QUALIFICATION_KIND_LABELS = {
    "management-system-auditor": _l(
        "Management-system auditor (e.g. an ISO 19011-based lead-auditor course)"
    ),
    "other": _l("Other"),
}


LABELS = {
    "kind": KIND_LABELS,
    "add": ADD_LABELS,
    "status": STATUS_LABELS,
    "audit_role": AUDIT_ROLE_LABELS,
    "audit_type": AUDIT_TYPE_LABELS,
    "nature": NATURE_LABELS,
    "proficiency": PROFICIENCY_LABELS,
    "qualification_kind": QUALIFICATION_KIND_LABELS,
}


def template_labels() -> dict:
    """For the experience templates: labels of codes, and country and language names."""
    return {"labels": LABELS, "country_name": country_name, "language_name": language_name}
