"""Stored XSS: every free-text field a user can save holds a script payload (see ``world``);
every page that shows it renders it inert.

The world is built through the forms, and then crawled, link by link, as anonymous, a
learner, a registered applicant, a member and an admin: every HTML answer on the way (the
pages after each post and their flash messages included) must hold no injected markup.
Displays are checked too, so an escaping test cannot pass by showing nothing: each payload
is found on the pages listed in ``DISPLAYED``. CSV exports are text for spreadsheets, so
they are checked for formula injection instead, and e-mail for being plain text."""

import pytest
from flask_wtf import FlaskForm
from werkzeug.http import parse_options_header
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.fields.core import UnboundField

from educational.core.mail import _as_email
from tests.conftest import outbox_messages

from .helpers import XSS, csv_problems, payload
from .world import MARKERS, crawl

CRAWLERS = (None, "learner", "registered", "member", "admin")

#: Every free-text field of every form (StringField and TextAreaField: e-mail, password and
#: hidden fields are not free text), and where its payload is. A new field fails
#: ``test_every_free_text_field_is_covered`` until it is added here.
FREE_TEXT = {
    "accounts.forms.RegisterForm.name": "xss-name-registered",
    "accounts.forms.ProfileForm.name": "xss-name-learner",
    "accounts.forms.OrganisationForm.name": "xss-organisation-name",
    "experience.forms.AuditForm.entity": "xss-audit-entity",
    "experience.forms.AuditForm.notes": "xss-audit-notes",
    "experience.forms.AuditForm.reference_name": "xss-audit-reference-name",
    "experience.forms.AuditForm.reference_contact": "xss-audit-reference-contact",
    "experience.forms.WorkForm.employer": "xss-work-employer",
    "experience.forms.WorkForm.position": "xss-work-position",
    "experience.forms.WorkForm.description": "xss-work-description",
    "experience.forms.QualificationForm.title": "xss-qualification-title",
    "experience.forms.QualificationForm.issuer": "xss-qualification-issuer",
    "experience.forms.ConflictForm.entity": "xss-conflict-entity",
    "experience.forms.ConflictForm.notes": "xss-conflict-notes",
    "experience.forms.CpdForm.provider": "xss-cpd-provider",
    "experience.forms.CpdForm.description": "xss-cpd-description",
    "experience.forms.DecisionForm.comment": "xss-comment-verify",
    "accreditation.forms.ApplicationForm.statement": "xss-statement-auditor",
    "accreditation.forms.DecisionForm.reason": "xss-reason-approve-auditor",
    "accreditation.forms.DecisionForm.narrowing_reason": "xss-narrowing-reason",
    "accreditation.forms.StatusChangeForm.reason": "xss-reason-suspend",
    "accreditation.forms.FirmForm.name": "xss-firm-name",
    "accreditation.forms.FirmForm.accreditation_body": "xss-firm-body",
    "certificates.forms.RevokeForm.reason": "xss-revoke-reason",
    "quizzes.forms.OverrideForm.reason": "xss-override-reason",
    "api.forms.TokenForm.name": "xss-token-name",
    "accounts.forms.NameDecisionForm.reason": "xss-name-change-reason",
    "watches.forms.EndpointForm.url": "xss-webhook-url",
    "privacy.forms.ErasureDecisionForm.reason": "xss-erasure-reason",
    "complaints.forms.ComplaintForm.description": "xss-complaint-description",
    "complaints.forms.ComplaintForm.name": "xss-complaint-name",
    "complaints.forms.NoteForm.text": "xss-complaint-note",
    "complaints.forms.InviteForm.message": "xss-complaint-invitation",
    "complaints.forms.ResponseForm.response": "xss-complaint-response",
    "complaints.forms.DecideForm.reasons": "xss-complaint-reasons",
    "complaints.forms.CloseForm.close_reasons": "xss-complaint-close",
    "appeals.forms.LodgeForm.grounds": "xss-appeal-grounds",
    "appeals.forms.DecideForm.reasons": "xss-appeal-reasons",
    "appeals.forms.SendBackForm.comment": "xss-appeal-sent-back",
    "monitoring.forms.AssessmentForm.entity": "xss-assessment-entity",
    "monitoring.forms.AssessmentForm.assessor_name": "xss-assessment-assessor",
    "monitoring.forms.AssessmentForm.notes": "xss-assessment-notes",
}
#: Free-text fields that are look-ups, never stored: the strings are reflected at most
#: (the registry id is posted with a payload in ``world``; the GET forms' fields get the
#: payload in test_sql_injection, whose every answer is checked for markup too).
LOOK_UPS = {
    "accreditation.forms.AttachForm.registry_id",
    "registry.forms.RegistrySearchForm.q",
    "registry.forms.EligibilityForm.registry_id",
    "registry.forms.EligibilityForm.entity",
}


#: String fields that are not free text: validated addresses, secrets, the form's own state.
NOT_FREE_TEXT = (EmailField, PasswordField, HiddenField)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def free_text_fields() -> set[str]:
    """Every StringField and TextAreaField of every form, as module.Form.field."""
    found = set()
    for form in _subclasses(FlaskForm):
        for name in dir(form):
            field = getattr(form, name, None)
            if not isinstance(field, UnboundField):
                continue
            kind = field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, NOT_FREE_TEXT):
                module = form.__module__.removeprefix("educational.")
                found.add(f"{module}.{form.__qualname__}.{name}")
    return found


def test_every_free_text_field_is_covered(world):
    fields = free_text_fields()
    assert fields - FREE_TEXT.keys() - LOOK_UPS == set(), "give the new field a payload"
    assert FREE_TEXT.keys() | LOOK_UPS <= fields, "a listed field no longer exists"
    assert set(FREE_TEXT.values()) <= set(MARKERS)


@pytest.fixture(scope="module")
def crawled(world):
    """who -> (the browser, with its HTML pages; the other answers by path)."""
    found = {}
    for who in CRAWLERS:
        browser = world.browser(who)
        found[who] = (browser, crawl(browser, world.seeds()))
    return found


def displayed(world) -> dict[str, list[tuple[str | None, str]]]:
    """Marker -> (who, path) of the pages that must show it: its owner's page, the staff
    page that reviews it, and the public page where it is published."""
    ids, rid = world.ids, world.registry_id
    kinds = ("audit", "work", "qualification", "conflict", "cpd")
    entry = {kind: f"/experience/entries/{ids[f'entry_{kind}']}" for kind in kinds}
    review = {k: f"/staff/experience/{ids[f'entry_{k}']}" for k in entry}
    application = {
        k: f"/accreditation/applications/{ids[f'application_{k}']}"
        for k in ("auditor", "specialist", "lead", "rejected")
    }
    staff_application = {
        k: f"/staff/accreditation/applications/{ids[f'application_{k}']}" for k in application
    }
    accreditation = f"/staff/accreditation/accreditations/{ids['accreditation']}"
    specialist = f"/staff/accreditation/accreditations/{ids['accreditation_specialist']}"
    revoked = world.codes["asi-specialist"]
    complaint = f"/staff/complaints/{ids['complaint']}"
    about_complaint = f"/complaints/about-me/{ids['complaint']}"
    scope = "role=auditor&standard=PS&sector=aluminium-smelting&country=NO"
    return {
        "xss-name-learner": [
            ("learner", "/"),
            (None, f"/registry/{rid}"),
            (None, "/registry?q=xss&status=any"),
            (None, f"/verify/{world.codes['asi-auditor']}"),
            ("member", f"/members/eligible?{scope}"),
            ("admin", "/admin/users"),
            ("admin", staff_application["auditor"]),
            ("admin", f"/staff/certificates/{revoked}"),
        ],
        "xss-name-registered": [("registered", "/"), ("admin", "/admin/users")],
        "xss-name-member": [("member", "/"), ("admin", "/admin/users")],
        "xss-name-staff": [("admin", "/admin/users")],
        "xss-name-admin": [("admin", "/")],
        "xss-organisation-name": [("member", "/account"), ("admin", "/admin/organisations")],
        "xss-audit-entity": [("learner", "/experience/"), ("learner", entry["audit"])],
        "xss-audit-reference-name": [("learner", entry["audit"]), ("admin", review["audit"])],
        "xss-audit-reference-contact": [("learner", entry["audit"]), ("admin", review["audit"])],
        "xss-audit-notes": [("learner", entry["audit"]), ("admin", review["audit"])],
        "xss-evidence-file": [("learner", entry["audit"]), ("admin", review["audit"])],
        "xss-work-employer": [("learner", entry["work"]), ("admin", review["work"])],
        "xss-work-position": [("learner", entry["work"]), ("admin", review["work"])],
        "xss-work-description": [("learner", entry["work"]), ("admin", review["work"])],
        "xss-qualification-title": [
            ("learner", entry["qualification"]),
            ("admin", review["qualification"]),
        ],
        "xss-qualification-issuer": [
            ("learner", entry["qualification"]),
            ("admin", review["qualification"]),
        ],
        "xss-conflict-entity": [("learner", entry["conflict"]), ("admin", review["conflict"])],
        "xss-conflict-notes": [("learner", entry["conflict"]), ("admin", review["conflict"])],
        "xss-cpd-provider": [
            ("learner", "/experience/"),
            ("learner", entry["cpd"]),
            ("admin", review["cpd"]),
            ("admin", "/staff/experience/"),
        ],
        "xss-cpd-description": [("learner", entry["cpd"]), ("admin", review["cpd"])],
        # A verified entry's comment goes to the learner by e-mail only.
        "xss-comment-verify": [("admin", review["audit"])],
        "xss-comment-request-info": [("learner", entry["work"]), ("admin", review["work"])],
        "xss-comment-reject": [
            ("learner", entry["qualification"]),
            ("admin", review["qualification"]),
        ],
        "xss-statement-auditor": [
            ("learner", application["auditor"]),
            ("admin", staff_application["auditor"]),
        ],
        "xss-statement-specialist": [
            ("learner", application["specialist"]),
            ("admin", staff_application["specialist"]),
        ],
        "xss-statement-lead": [
            ("learner", application["lead"]),
            ("admin", staff_application["lead"]),
        ],
        "xss-statement-rejected": [
            ("registered", application["rejected"]),
            ("admin", staff_application["rejected"]),
        ],
        "xss-reason-approve-auditor": [
            ("learner", application["auditor"]),
            ("admin", staff_application["auditor"]),
            ("admin", accreditation),
        ],
        "xss-narrowing-reason": [("admin", staff_application["auditor"])],
        "xss-reason-approve-specialist": [
            ("learner", application["specialist"]),
            ("admin", specialist),
        ],
        "xss-reason-request-info": [
            ("learner", application["lead"]),
            ("admin", staff_application["lead"]),
        ],
        "xss-reason-reject": [
            ("registered", application["rejected"]),
            ("admin", staff_application["rejected"]),
        ],
        "xss-reason-suspend": [("admin", accreditation)],
        "xss-reason-reinstate": [("admin", accreditation)],
        "xss-reason-withdraw": [("admin", specialist)],
        "xss-firm-name": [
            (None, "/registry/firms"),
            (None, f"/registry/firms/{ids['firm']}"),
            (None, f"/registry/{rid}"),
            ("admin", f"/staff/firms/{ids['firm']}"),
        ],
        "xss-firm-body": [(None, f"/registry/firms/{ids['firm']}"), ("admin", "/staff/firms/")],
        "xss-revoke-reason": [
            (None, f"/verify/{revoked}"),
            ("learner", "/certificates"),
            ("admin", f"/staff/certificates/{revoked}"),
        ],
        "xss-override-reason": [("admin", f"/staff/quizzes/{ids['quiz']}/overrides")],
        "xss-short-answer": [
            ("learner", f"/attempts/{ids['attempt_submitted']}/review"),
            (
                "admin",
                f"/staff/quizzes/{ids['quiz']}/report/questions/{ids['question']}?attempts=graded",
            ),
        ],
        "xss-token-name": [("member", "/account/api-tokens")],
        "xss-name-change-new": [
            ("learner", "/account"),
            ("admin", "/staff/names"),
            ("admin", f"/staff/names/{ids['name_change']}"),
        ],
        "xss-name-change-rejected": [("admin", "/staff/names")],
        "xss-name-change-reason": [("admin", "/staff/names")],
        "xss-webhook-url": [("member", "/account/watches")],
        "xss-erasure-reason": [("registered", "/account/data")],
        "xss-complaint-description": [("admin", complaint), ("learner", about_complaint)],
        "xss-complaint-name": [("admin", complaint)],
        "xss-complaint-note": [("admin", complaint)],
        "xss-complaint-invitation": [("admin", complaint), ("learner", about_complaint)],
        "xss-complaint-response": [("admin", complaint), ("learner", about_complaint)],
        "xss-complaint-reasons": [
            ("admin", complaint),
            ("learner", about_complaint),
            (None, world.complaint_link),
        ],
        "xss-complaint-close": [("admin", f"/staff/complaints/{ids['complaint_closed']}")],
        "xss-appeal-grounds": [
            ("learner", f"/appeals/{ids['appeal']}"),
            ("admin", f"/staff/appeals/{ids['appeal']}"),
        ],
        "xss-appeal-reasons": [
            ("learner", f"/appeals/{ids['appeal']}"),
            ("admin", f"/staff/appeals/{ids['appeal']}"),
        ],
        "xss-appeal-sent-back": [("admin", f"/staff/appeals/{ids['appeal']}")],
        **{
            f"xss-assessment-{what}": [
                ("learner", "/monitoring/"),
                ("admin", f"/staff/monitoring/people/{world.users['learner'].id}"),
            ]
            for what in ("entity", "assessor", "notes", "file")
        },
    }


def test_every_page_renders_the_payloads_inert(world, crawled):
    """Every HTML answer, while the world was built and while it was crawled."""
    pages = sum(len(browser.pages) for browser, _files in crawled.values())
    assert pages > 250
    assert world.problems() == []


def test_every_payload_is_displayed_where_expected(world, crawled):
    expected = displayed(world)
    assert expected.keys() == set(MARKERS)
    assert not [(a, b) for a in MARKERS for b in MARKERS if a != b and b.startswith(a)]
    missing = []
    for marker, places in expected.items():
        for who, path in places:
            page = crawled[who][0].pages.get(path)
            if page is None:
                missing.append(f"{who} never reached {path}")
            elif marker not in page:
                missing.append(f"{marker} is not on {path} for {who}")
    assert missing == [], "\n".join(missing)


def test_the_payload_is_shown_as_text(world, crawled):
    """Escaped, not dropped or mangled: the page shows the characters the user typed."""
    page = crawled["learner"][0].pages[f"/experience/entries/{world.ids['entry_audit']}"]
    escaped = XSS.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&#34;").replace("'", "&#39;")
    assert f"xss-audit-notes {escaped}" in page


def _answers(crawled, mimetype: str) -> dict:
    return {
        f"{who or 'anonymous'} {path}": response
        for who, (_browser, answers) in crawled.items()
        for path, response in answers.items()
        if response.mimetype == mimetype
    }


def test_csv_exports_defuse_formulas(world, crawled):
    exports = _answers(crawled, "text/csv")
    paths = {name.split()[1].split("?")[0] for name in exports}
    assert {
        "/registry.csv",
        "/members/eligible.csv",
        "/staff/accreditation/applications.csv",
        "/staff/accreditation/accreditations.csv",
        "/staff/courses/asi-auditor/progress",
        f"/staff/quizzes/{world.ids['quiz']}/report",
    } <= paths
    problems = {name: csv_problems(r.get_data(as_text=True)) for name, r in exports.items()}
    assert {name: found for name, found in problems.items() if found} == {}
    everything = "".join(response.get_data(as_text=True) for response in exports.values())
    # The values are exported (defused with an apostrophe), not dropped.
    for marker, prefix in (
        ("xss-name-learner", "="),
        ("xss-name-registered", "+"),
        ("xss-firm-name", "@"),
        ("xss-reason-reject", "-"),
    ):
        assert f"'{prefix}{marker} " in everything


def test_downloads_are_attachments_and_json_is_json(world, crawled):
    files = {
        **_answers(crawled, "application/pdf"),
        **_answers(crawled, "application/jwt"),
        **_answers(crawled, "text/csv"),
    }
    assert len(files) > 5
    for name, response in files.items():
        disposition = response.headers.getlist("Content-Disposition")
        assert len(disposition) == 1, name
        kind, options = parse_options_header(disposition[0])
        assert kind == "attachment" and options.get("filename"), name
    evidence = crawled["learner"][1][f"/experience/evidence/{world.ids['evidence']}"]
    kind, options = parse_options_header(evidence.headers["Content-Disposition"])
    assert options["filename"].startswith("xss-evidence-file <img src=x")
    for name, response in _answers(crawled, "application/json").items():
        assert response.headers["X-Content-Type-Options"] == "nosniff", name


def test_api_answers_the_payloads_as_json_data(world):
    client = world.app.test_client()
    headers = {"Authorization": f"Bearer {world.token_secret}"}
    scope = "role=auditor&standard=PS&sector=aluminium-smelting&country=NO"
    for url in (
        "/api/v1/registry?q=xss",
        f"/api/v1/registry/{world.registry_id}",
        f"/api/v1/eligible?{scope}",
        f"/api/v1/eligibility?registry_id={world.registry_id}&{scope}",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    entry = client.get(f"/api/v1/registry/{world.registry_id}").get_json()
    assert entry["name"] == payload("xss-name-learner", "=")


def test_mail_is_plain_text_with_the_values_as_typed(world):
    messages = outbox_messages(world.app)
    assert len(messages) >= 10
    shown = set()
    with world.app.app_context():
        for row in messages:
            email = _as_email(row)
            assert email.get_content_type() == "text/plain", row.kind
            assert not email.is_multipart()
            assert "&lt;" not in row.body and "&#" not in row.body, row.kind
            shown |= {marker for marker in MARKERS if f"{marker} {XSS}" in row.body}
    assert {
        "xss-name-learner",
        "xss-name-registered",
        "xss-audit-entity",
        "xss-comment-verify",
        "xss-comment-reject",
        "xss-comment-request-info",
        "xss-reason-approve-auditor",
        "xss-reason-reject",
        "xss-reason-suspend",
        "xss-reason-withdraw",
    } <= shown
