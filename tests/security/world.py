"""A populated app for the security tests, built through the pages as people use them.

Every free-text field a user can save holds the XSS payload, tagged with a marker naming the
field (``xss-audit-entity``, ...), so a page that shows a value shows where it came from.
The values exported to CSV also start with a spreadsheet-formula character. Besides the
payloads, the world holds one object of every kind that has its own URL, owned by
``learner`` (or ``member``), and a second user of each role (``other_learner``,
``other_member``) for the IDOR tests.

Every answer of every request made here (and by ``Browser`` in the tests) is checked: never
a 5xx, and every HTML page inert (``helpers.markup_problems``)."""

import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

from flask import Flask
from sqlalchemy import select

from educational.core.db import db, utcnow
from tests.builders.experience import PDF
from tests.builders.people import PASSWORD, create_user, login, sync_courses

from .helpers import XSS_NO_SLASH, is_html, markup_problems, path_of, payload, url_for_rule

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
#: The fields (and file name) that hold a payload, by marker. Markers of values that reach
#: a CSV export carry a formula prefix there.
MARKERS = (
    "xss-name-learner",
    "xss-name-registered",
    "xss-name-member",
    "xss-name-staff",
    "xss-name-admin",
    "xss-organisation-name",
    "xss-audit-entity",
    "xss-audit-reference-name",
    "xss-audit-reference-contact",
    "xss-audit-notes",
    "xss-evidence-file",
    "xss-work-employer",
    "xss-work-position",
    "xss-work-description",
    "xss-qualification-title",
    "xss-qualification-issuer",
    "xss-conflict-entity",
    "xss-conflict-notes",
    "xss-cpd-provider",
    "xss-cpd-description",
    "xss-comment-verify",
    "xss-comment-request-info",
    "xss-comment-reject",
    "xss-statement-auditor",
    "xss-statement-specialist",
    "xss-statement-lead",
    "xss-statement-rejected",
    "xss-reason-approve-auditor",
    "xss-narrowing-reason",
    "xss-reason-approve-specialist",
    "xss-reason-request-info",
    "xss-reason-reject",
    "xss-reason-suspend",
    "xss-reason-reinstate",
    "xss-reason-withdraw",
    "xss-firm-name",
    "xss-firm-body",
    "xss-revoke-reason",
    "xss-override-reason",
    "xss-short-answer",
    "xss-token-name",
    "xss-name-change-new",
    "xss-name-change-rejected",
    "xss-name-change-reason",
    "xss-webhook-url",
    "xss-erasure-reason",
    "xss-complaint-description",
    "xss-complaint-name",
    "xss-complaint-note",
    "xss-complaint-invitation",
    "xss-complaint-response",
    "xss-complaint-reasons",
    "xss-complaint-close",
    "xss-appeal-grounds",
    "xss-appeal-reasons",
    "xss-appeal-sent-back",
    "xss-assessment-entity",
    "xss-assessment-assessor",
    "xss-assessment-notes",
    "xss-assessment-file",
)
SCOPE = "PS:aluminium-smelting"
AUDIT_QUIZ = ("asi-auditor", "02-standards-programme")
OPEN_QUIZ = ("asi-auditor", "01-accreditation-process")


class Browser:
    """A test client that checks every answer and keeps every HTML page it saw."""

    def __init__(self, app: Flask, who: str) -> None:
        self.app = app
        self.who = who
        self.client = app.test_client()
        #: path -> HTML of the last answer there.
        self.pages: dict[str, str] = {}
        self.problems: list[str] = []

    def login(self, email: str) -> "Browser":
        login(self.client, email)
        return self

    def open(self, url: str, method: str = "GET", **kwargs):
        response = self.client.open(url, method=method, **kwargs)
        for hop in [*response.history, response]:
            self.check(hop.request.method, hop.request.path, hop)
        return response

    def get(self, url: str, **kwargs):
        return self.open(url, "GET", **kwargs)

    def post(self, url: str, **kwargs):
        return self.open(url, "POST", **kwargs)

    def check(self, method: str, url: str, response) -> None:
        # Read streamed answers (the CSV exports) now, inside this request's context.
        response.get_data()
        response.close()
        where = f"{self.who}: {method} {url} ({response.status_code})"
        if response.status_code >= 500:
            self.problems.append(f"{where}: server error")
        if is_html(response):
            html = response.get_data(as_text=True)
            self.problems += [f"{where}: {problem}" for problem in markup_problems(html)]
            self.pages[path_of(response.request.url)] = html


def _id_from(response, pattern: str) -> int:
    location = response.headers.get("Location", "")
    match = re.search(pattern, location)
    if not match:
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', response.text)
        raise AssertionError(
            f"expected a redirect to {pattern}, got {response.status_code}: {errors}"
        )
    return int(match.group(1))


@dataclass
class World:
    app: Flask
    users: dict = field(default_factory=dict)
    #: Object ids by name (entry_audit, application_auditor, attempt_open, ...).
    ids: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)
    registry_id: str = ""
    token_secret: str = ""
    #: A complaint about the learner: its reference and its status link (path and token).
    complaint_reference: str = ""
    complaint_link: str = ""
    #: Signed e-mail link tokens (confirmation, reset) of the registered user, by endpoint.
    tokens: dict = field(default_factory=dict)
    browsers: list = field(default_factory=list)

    def browser(self, who: str | None) -> Browser:
        """A browser logged in as ``who`` (a key of ``users``), or anonymous."""
        found = Browser(self.app, who or "anonymous")
        if who is not None:
            found.login(self.users[who].email)
        self.browsers.append(found)
        return found

    def url_values(self, rule) -> dict:
        """Values for the rule's arguments that name the world's objects (the learner's, for
        the routes of an owner), so a request reaches the view's real work."""
        ids = self.ids
        by_name = {
            "entry_id": ids["entry_draft"],
            "evidence_id": ids["appeal_evidence"]
            if rule.endpoint.startswith("appeals.")
            else ids["evidence"],
            "application_id": ids["application_lead"],
            "attempt_id": ids["attempt_open"],
            "accreditation_id": ids["accreditation"],
            "token_id": ids["token"],
            "firm_id": ids["firm"],
            "affiliation_id": ids["affiliation"],
            "quiz_id": ids["quiz"],
            "question_id": ids["question"],
            "name_change_id": ids["name_change"],
            "endpoint_id": ids["endpoint"],
            "erasure_id": ids["erasure"],
            "complaint_id": ids["complaint"],
            "appeal_id": ids["appeal"],
            "subject_id": ids["appeal_subject"],
            "reference": self.complaint_reference,
            "assessment_file_id": ids["assessment_file"],
            "user_id": self.users["learner"].id,
            "code": self.codes["asi-auditor"],
            "registry_id": self.registry_id,
            "slug": AUDIT_QUIZ[0],
            "name": AUDIT_QUIZ[1] if rule.endpoint.startswith("quizzes.") else OPEN_QUIZ[1],
            "kind": "withdrawal" if rule.endpoint.startswith("appeals.") else "audit",
            "action": "suspend",
            "purpose": "suspension",
            "token": self.tokens.get(rule.endpoint, "no-such-token"),
            "filename": "css/app.css" if rule.endpoint == "static" else "xss.svg",
        }
        values = {}
        for name in rule.arguments:
            assert name in by_name, f"{rule.rule}: give the world a value for <{name}>"
            values[name] = by_name[name]
        return values

    def url(self, rule) -> str:
        return url_for_rule(self.app, rule, self.url_values(rule))

    def url_for(self, rule, values: dict) -> str:
        return url_for_rule(self.app, rule, values)

    def seeds(self) -> list[str]:
        """Pages to start a crawl from: the home page, each role's own pages, and the pages
        that no link reaches (search results, GET forms, the overrides page)."""
        ids, rid = self.ids, self.registry_id
        scope = "role=auditor&standard=PS&sector=aluminium-smelting&country=NO"
        return [
            "/",
            "/dashboard",
            "/account",
            "/account/api-tokens",
            "/accreditation/",
            "/experience/",
            "/certificates",
            "/registry/mine",
            f"/registry/{rid}",
            "/registry?q=xss&status=any",
            f"/courses/{AUDIT_QUIZ[0]}/quizzes/{AUDIT_QUIZ[1]}",
            f"/attempts/{ids['attempt_submitted']}/review",
            f"/members/eligibility?registry_id={rid}&{scope}&entity=xss",
            f"/members/eligible?{scope}",
            f"/members/eligible.csv?{scope}",
            "/staff",
            f"/staff/quizzes/{ids['quiz']}/overrides",
            "/staff/certificates?q=xss",
            *(f"/staff/certificates/{code}" for code in self.codes.values()),
            *(f"/verify/{code}" for code in self.codes.values()),
            "/staff/accreditation/applications?status=all",
            "/staff/accreditation/applications.csv?status=all",
            "/staff/accreditation/accreditations?q=xss",
            "/admin/users?q=xss",
            "/complaints/about-me",
            "/staff/complaints/?show=all",
            self.complaint_link,
            "/monitoring/",
        ]

    def problems(self) -> list[str]:
        return [problem for browser in self.browsers for problem in browser.problems]


def build_world(app: Flask) -> World:
    sync_courses(app)
    world = World(app)
    users = world.users
    users["admin"] = create_user(app, "admin", "admin@example.org", payload("xss-name-admin"))
    users["staff"] = create_user(app, "staff", "staff@example.org", payload("xss-name-staff"))
    users["learner"] = create_user(app, "learner", "learner@example.org", "Learner before")
    users["other_learner"] = create_user(app, "learner", "other@example.org", "Other Learner")
    # A learner the admin makes a member below, through the form.
    users["member"] = create_user(app, "learner", "member@example.org", payload("xss-name-member"))
    users["other_member"] = create_user(app, "member", "other-member@example.org", "Other Member")

    admin = world.browser("admin")
    staff = world.browser("staff")
    learner = world.browser("learner")

    # Accounts: the profile, a registration, an organisation and a member's role.
    response = learner.post(
        "/account",
        data={"name": payload("xss-name-learner", "="), "timezone": "UTC", "locale": "en"},
    )
    assert response.status_code == 302
    anonymous = world.browser(None)
    response = anonymous.post(
        "/register",
        data={
            "name": payload("xss-name-registered", "+"),
            "email": "registered@example.org",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200 and "registered@example.org" in response.text
    users["registered"] = _user_by_email(app, "registered@example.org")
    response = admin.post(
        "/admin/organisations",
        data={
            "name": payload("xss-organisation-name"),
            "membership_class": "industrial-users",
            "country": "DE",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    organisation_id = _organisation_id(app, "xss-organisation-name")
    response = admin.post(
        f"/admin/users/{users['member'].id}",
        data={"role": "member", "organisation": str(organisation_id), "active": "y"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    users["member"] = _user_by_email(app, "member@example.org")

    _experience(world, learner, staff)
    _applications(world, learner, staff)
    _name_changes(world, learner, staff)
    _firms(world, staff)
    _certificates(world, staff)
    _quizzes(world, learner, staff)
    _tokens(world)
    _watches(world)
    _erasure(world, staff)
    _complaints(world, learner, staff)
    _appeals(world, learner)
    _monitoring(world, staff)
    _course_image(world)
    from educational.accounts import tokens
    from educational.accounts.models import User

    with app.test_request_context():
        registered = db.session.get(User, users["registered"].id)
        world.tokens = {
            "accounts.confirm": tokens.make_confirm_token(registered),
            "accounts.reset_password": tokens.make_reset_token(registered),
        }
    return world


def _experience(world: World, learner: Browser, staff: Browser) -> None:
    ids = world.ids
    audit = {
        "start_date": "2024-03-04",
        "end_date": "2024-03-07",
        "onsite_days": "3",
        "offsite_days": "1",
        "audit_role": "lead",
        "team_size": "2",
        "standard": "PS",
        "standard_version": "3",
        "sectors": ["aluminium-smelting"],
        "country": "NO",
        "entity": payload("xss-audit-entity"),
        "audit_type": "certification",
        "reference_name": payload("xss-audit-reference-name"),
        # Validated as an e-mail address or a telephone number: what the address allows.
        "reference_contact": "xss-audit-reference-contact'onmouseover='alert`1`'@example.org",
        "notes": payload("xss-audit-notes"),
        "action": "submit",
        "evidence": (io.BytesIO(PDF), f"xss-evidence-file {XSS_NO_SLASH}.pdf"),
    }
    work = {
        "employer": payload("xss-work-employer"),
        "position": payload("xss-work-position"),
        "sector": "aluminium-smelting",
        "country": "NO",
        "start_date": "2015-01-01",
        "end_date": "2020-12-31",
        "description": payload("xss-work-description"),
        "action": "submit",
    }
    qualification = {
        "title": payload("xss-qualification-title"),
        "issuer": payload("xss-qualification-issuer"),
        "qualification_kind": "management-system-auditor",
        "obtained_on": "2019-05-01",
        "action": "submit",
    }
    language = {"language": "en", "proficiency": "C1", "action": "submit"}
    conflict = {
        "entity": payload("xss-conflict-entity"),
        "nature": "consulting",
        "start_date": "2022-01-01",
        "notes": payload("xss-conflict-notes"),
        "action": "submit",
    }
    cpd = {
        "activity_date": "2024-05-02",
        "hours": "7.5",
        "category": "training",
        "provider": payload("xss-cpd-provider"),
        "description": payload("xss-cpd-description"),
        "action": "submit",
    }
    forms = {
        "audit": audit,
        "work": work,
        "qualification": qualification,
        "language": language,
        "conflict": conflict,
        "cpd": cpd,
    }
    for kind, data in forms.items():
        response = learner.post(f"/experience/new/{kind}", data=data)
        ids[f"entry_{kind}"] = _id_from(response, r"/experience/entries/(\d+)$")
    # One more draft entry, with nothing to decide on: for the IDOR tests' posts.
    response = learner.post("/experience/new/language", data={**language, "language": "fr"})
    ids["entry_draft"] = _id_from(response, r"/experience/entries/(\d+)$")

    from educational.experience.models import Evidence, ExperienceEntry

    with world.app.app_context():
        ids["evidence"] = db.session.scalar(
            select(Evidence.id).where(Evidence.entry_id == ids["entry_audit"])
        )
        revisions = {
            kind: db.session.get(ExperienceEntry, ids[f"entry_{kind}"]).revision
            for kind in ("audit", "work", "qualification", "language")
        }
    decisions = {
        "audit": ("verify", "xss-comment-verify"),
        "work": ("request_info", "xss-comment-request-info"),
        "qualification": ("reject", "xss-comment-reject"),
        "language": ("verify", None),
    }
    for kind, (decision, marker) in decisions.items():
        response = staff.post(
            f"/staff/experience/{ids[f'entry_{kind}']}/decide",
            data={
                "decision": decision,
                "comment": payload(marker) if marker else "",
                "revision": str(revisions[kind]),
            },
            follow_redirects=True,
        )
        assert response.request.path == "/staff/experience/", f"{kind}: not decided"


def _applications(world: World, learner: Browser, staff: Browser) -> None:
    ids = world.ids
    base = {"countries": ["NO"], "consent_to_publish": "y", "action": "submit"}
    applications = {
        # Asks for Sweden too, which the partial approval below leaves out.
        "auditor": {
            "role": "auditor",
            "scopes": [SCOPE],
            "countries": ["NO", "SE"],
            "statement": "xss-statement-auditor",
        },
        "specialist": {
            "role": "specialist",
            "specialist_areas": ["human-rights"],
            "statement": "xss-statement-specialist",
        },
        "lead": {"role": "lead_auditor", "scopes": [SCOPE], "statement": "xss-statement-lead"},
    }
    for name, data in applications.items():
        data = {**base, **data, "statement": payload(data["statement"])}
        response = learner.post("/accreditation/applications/new", data=data)
        ids[f"application_{name}"] = _id_from(response, r"/accreditation/applications/(\d+)$")
    registered = Browser(world.app, "registered").login("registered@example.org")
    world.browsers.append(registered)
    response = registered.post(
        "/accreditation/applications/new",
        data={
            **base,
            "role": "auditor",
            "scopes": [SCOPE],
            "statement": payload("xss-statement-rejected"),
        },
    )
    ids["application_rejected"] = _id_from(response, r"/accreditation/applications/(\d+)$")
    decisions = {
        "auditor": ("approve", "xss-reason-approve-auditor", "="),
        "specialist": ("approve", "xss-reason-approve-specialist", ""),
        "lead": ("request_info", "xss-reason-request-info", ""),
        "rejected": ("reject", "xss-reason-reject", "-"),
    }
    narrowed = {
        "approved_countries": ["NO"],
        "countries_shown": "1",
        "narrowing_reason": payload("xss-narrowing-reason"),
    }
    for name, (decision, marker, prefix) in decisions.items():
        response = staff.post(
            f"/staff/accreditation/applications/{ids[f'application_{name}']}/decide",
            data={
                "decision": decision,
                "reason": payload(marker, prefix),
                "override_unmet": "y",
                **(narrowed if name == "auditor" else {}),
            },
        )
        assert response.status_code == 302, f"{name}: {decision} refused"

    from educational.accreditation.models import Accreditation, RegistryProfile

    with world.app.app_context():
        profile = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.user_id == world.users["learner"].id)
        )
        world.registry_id = profile.registry_id
        by_role = {a.role: a.id for a in db.session.scalars(select(Accreditation))}
    ids["accreditation"] = by_role["auditor"]
    ids["accreditation_specialist"] = by_role["specialist"]
    for accreditation, action, marker in (
        (ids["accreditation"], "suspend", "xss-reason-suspend"),
        (ids["accreditation"], "reinstate", "xss-reason-reinstate"),
        (ids["accreditation_specialist"], "withdraw", "xss-reason-withdraw"),
    ):
        response = staff.post(
            f"/staff/accreditation/accreditations/{accreditation}/{action}",
            data={"reason": payload(marker)},
        )
        assert response.status_code == 302, f"{action} refused"


def _name_changes(world: World, learner: Browser, staff: Browser) -> None:
    """The learner, now in the registry, asks twice for a new name: staff reject the first
    with a reason; the second stays pending, for the queue and its review page."""
    from educational.accounts.models import NameChangeRequest

    profile = {"timezone": "UTC", "locale": "en"}
    for marker in ("xss-name-change-rejected", "xss-name-change-new"):
        response = learner.post("/account", data={**profile, "name": payload(marker)})
        assert response.status_code == 302
        with world.app.app_context():
            world.ids["name_change"] = db.session.scalar(
                select(NameChangeRequest.id).order_by(NameChangeRequest.id.desc()).limit(1)
            )
        if marker == "xss-name-change-rejected":
            response = staff.post(
                f"/staff/names/{world.ids['name_change']}/decide",
                data={"decision": "reject", "reason": payload("xss-name-change-reason")},
            )
            assert response.status_code == 302, "name change: reject refused"


def _firms(world: World, staff: Browser) -> None:
    response = staff.post(
        "/staff/firms/new",
        data={
            "name": payload("xss-firm-name", "@"),
            "country": "NO",
            "accreditation_body": payload("xss-firm-body"),
            "accreditation_standard": "ISO/IEC 17021-1",
            "status": "active",
        },
    )
    world.ids["firm"] = _id_from(response, r"/staff/firms/(\d+)$")
    since = (utcnow().date() - timedelta(days=30)).isoformat()
    firm = world.ids["firm"]
    response = staff.post(
        f"/staff/firms/{firm}/attach", data={"registry_id": world.registry_id, "since": since}
    )
    assert response.status_code == 302
    # Not stored, but shown back in the error beside the field.
    staff.post(
        f"/staff/firms/{firm}/attach",
        data={"registry_id": '"><svg onload=alert(1)>', "since": since},
    )

    from educational.accreditation.models import FirmAffiliation

    with world.app.app_context():
        world.ids["affiliation"] = db.session.scalar(
            select(FirmAffiliation.id).where(FirmAffiliation.firm_id == firm)
        )


def _certificates(world: World, staff: Browser) -> None:
    from educational.accounts.models import User
    from educational.catalog.models import Course
    from educational.certificates import services

    with world.app.app_context():
        learner = db.session.get(User, world.users["learner"].id)
        # The auditor's training is then current: the shortlist lists the learner.
        for slug in ("asi-auditor", "ps-v3-auditors", "asi-specialist"):
            course = db.session.scalar(select(Course).where(Course.slug == slug))
            certificate = services.issue_certificate(learner, course, issued_at=utcnow())
            world.codes[slug] = certificate.code
        db.session.commit()
    response = staff.post(
        f"/staff/certificates/{world.codes['asi-specialist']}/revoke",
        data={"reason": payload("xss-revoke-reason")},
    )
    assert response.status_code == 302


def _course_image(world: World) -> None:
    """An SVG in a course's images that runs a script when opened on its own."""
    import hashlib

    from educational.catalog.models import Course, CourseImage

    with world.app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == AUDIT_QUIZ[0]))
        db.session.add(
            CourseImage(
                course_id=course.id,
                path="images/xss.svg",
                sha256=hashlib.sha256(SVG).hexdigest(),
                content_type="image/svg+xml",
                data=SVG,
            )
        )
        db.session.commit()


def _quizzes(world: World, learner: Browser, staff: Browser) -> None:
    from educational.quizzes.models import Attempt

    slug, name = AUDIT_QUIZ
    learner.post(f"/courses/{slug}/enrol")
    response = learner.post(f"/courses/{slug}/quizzes/{name}/start")
    attempt_id = _id_from(response, r"/attempts/(\d+)$")
    with world.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        short = next(s.position for s in attempt.slots if s.question.type == "short")
        world.ids["quiz"] = attempt.quiz_id
        world.ids["question"] = next(s.question_id for s in attempt.slots if s.position == short)
    response = learner.post(
        f"/attempts/{attempt_id}/save",
        data={f"q{short}": payload("xss-short-answer"), "action": "submit"},
    )
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    world.ids["attempt_submitted"] = attempt_id
    response = learner.post(f"/courses/{OPEN_QUIZ[0]}/quizzes/{OPEN_QUIZ[1]}/start")
    world.ids["attempt_open"] = _id_from(response, r"/attempts/(\d+)$")
    response = staff.post(
        f"/staff/quizzes/{world.ids['quiz']}/overrides",
        data={
            "email": world.users["learner"].email,
            "extra_minutes": "10",
            "extra_attempts": "1",
            "reason": payload("xss-override-reason"),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200


def _tokens(world: World) -> None:
    from educational.api.models import ApiToken

    member = world.browser("member")
    response = member.post("/account/api-tokens", data={"name": payload("xss-token-name")})
    assert response.status_code == 200
    world.token_secret = re.search(r"edu_[A-Za-z0-9_-]{20,}", response.text).group(0)
    # A second token, revoked: the flash names it.
    member.post("/account/api-tokens", data={"name": payload("xss-token-name")})
    with world.app.app_context():
        tokens = db.session.scalars(select(ApiToken.id).order_by(ApiToken.id)).all()
    world.ids["token"], revoked = tokens
    response = member.post(f"/account/api-tokens/{revoked}/revoke", follow_redirects=True)
    assert "xss-token-name" in response.text


def _watches(world: World) -> None:
    """A webhook endpoint whose address holds the payload (private addresses allowed here:
    the world has no network)."""
    world.app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    member = world.browser("member")
    url = f"http://localhost/{payload('xss-webhook-url')}"
    response = member.post("/account/watches/endpoints", data={"url": url})
    assert response.status_code == 200 and "xss-webhook-url" in response.text
    world.app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    from educational.watches.models import WebhookEndpoint

    with world.app.app_context():
        world.ids["endpoint"] = db.session.scalar(select(WebhookEndpoint.id))


def _erasure(world: World, staff: Browser) -> None:
    """The registered person asks for erasure; staff reject it with a reason."""
    from educational.privacy.models import ErasureRequest

    registered = world.browser("registered")
    response = registered.post("/account/data/erase", data={"understood": "y"})
    assert response.status_code == 302
    with world.app.app_context():
        request_id = world.ids["erasure"] = db.session.scalar(select(ErasureRequest.id))
    response = staff.post(
        f"/staff/erasures/{request_id}/decide",
        data={"decision": "reject", "reason": payload("xss-erasure-reason")},
    )
    assert response.status_code == 302


def _complaints(world: World, learner: Browser, staff: Browser) -> None:
    """Two complaints about the learner, lodged anonymously from the registry page: one
    acknowledged, investigated, answered by the learner and decided (a warning); one closed
    without a decision."""
    from educational.complaints.models import Complaint

    rid = world.registry_id
    anonymous = world.browser(None)
    response = anonymous.post(
        f"/complaints/new?registry_id={rid}",
        data={
            "description": payload("xss-complaint-description"),
            "name": payload("xss-complaint-name"),
            "email": "complainant@example.org",
        },
    )
    assert response.status_code == 200, "complaint not lodged"
    link = re.search(r'id="complaint-status-link" href="([^"]+)"', response.text).group(1)
    world.complaint_link = link.replace("&amp;", "&").removeprefix("http://localhost")
    anonymous.post(f"/complaints/new?registry_id={rid}", data={"description": "Second."})
    with world.app.app_context():
        first, second = db.session.scalars(select(Complaint).order_by(Complaint.id)).all()
        world.ids["complaint"], world.ids["complaint_closed"] = first.id, second.id
        world.complaint_reference = first.reference
    first, second = world.ids["complaint"], world.ids["complaint_closed"]
    steps = [
        (first, "acknowledge", {}),
        (first, "note", {"text": payload("xss-complaint-note")}),
        (first, "invite", {"message": payload("xss-complaint-invitation")}),
        (second, "acknowledge", {}),
        (second, "close", {"close_reasons": payload("xss-complaint-close")}),
    ]
    for complaint, action, data in steps:
        response = staff.post(f"/staff/complaints/{complaint}/{action}", data=data)
        assert response.status_code == 302, f"complaint: {action} refused"
    response = learner.post(
        f"/complaints/about-me/{first}/respond",
        data={"response": payload("xss-complaint-response")},
    )
    assert response.status_code == 302, "complaint: response refused"
    response = staff.post(
        f"/staff/complaints/{first}/decide",
        data={"outcome": "warning", "reasons": payload("xss-complaint-reasons")},
    )
    assert response.status_code == 302, "complaint: decision refused"


def _appeals(world: World, learner: Browser) -> None:
    """The learner appeals against the withdrawal of their specialist accreditation, with a
    file. Four eyes: the admin proposes "upheld", a second staff member sends it back, the
    admin proposes again and the second confirms. (``staff`` withdrew it: may not decide.)"""
    from educational.accreditation.models import StatusChange
    from educational.appeals.models import Appeal
    from educational.catalog.models import SchemeConfig

    app, ids = world.app, world.ids
    with app.app_context():
        ids["appeal_subject"] = db.session.scalar(
            select(StatusChange.id).where(
                StatusChange.accreditation_id == ids["accreditation_specialist"],
                StatusChange.to_status == "withdrawn",
            )
        )
    response = learner.post(
        f"/appeals/new/withdrawal/{ids['appeal_subject']}/lodge",
        data={
            "grounds": payload("xss-appeal-grounds"),
            "evidence": (io.BytesIO(PDF), "grounds.pdf"),
        },
    )
    appeal = ids["appeal"] = _id_from(response, r"/appeals/(\d+)$")
    with app.app_context():
        ids["appeal_evidence"] = db.session.get(Appeal, appeal).evidence[0].id
        row = db.session.scalar(select(SchemeConfig))
        row.data = {**row.data, "four_eyes": True}
        db.session.commit()
    create_user(app, "staff", "second-staff@example.org", "Second Staff")
    second = Browser(app, "second_staff").login("second-staff@example.org")
    world.browsers.append(second)
    admin = world.browser("admin")
    decide = {"outcome": "upheld", "reasons": payload("xss-appeal-reasons")}
    for browser, action, data in (
        (admin, "decide", decide),
        (second, "send-back", {"comment": payload("xss-appeal-sent-back")}),
        (admin, "decide", decide),
        (second, "confirm", {}),
    ):
        response = browser.post(f"/staff/appeals/{appeal}/{action}", data=data)
        assert response.status_code == 302, f"appeal: {action} refused"
    with app.app_context():
        assert db.session.get(Appeal, appeal).status == "decided"
        row = db.session.scalar(select(SchemeConfig))
        row.data = {**row.data, "four_eyes": False}
        db.session.commit()


def _monitoring(world: World, staff: Browser) -> None:
    """A witness assessment of the learner's auditor accreditation, with major concerns and a
    file, recorded by staff through the form."""
    from educational.monitoring.models import Assessment

    response = staff.post(
        "/staff/monitoring/new",
        data={
            "accreditation_id": str(world.ids["accreditation"]),
            "kind": "witness",
            "assessed_on": (utcnow() - timedelta(days=2)).date().isoformat(),
            "entity": payload("xss-assessment-entity"),
            "standard": "PS",
            "sector": "aluminium-smelting",
            "country": "NO",
            "assessor_name": payload("xss-assessment-assessor"),
            "result": "major_concerns",
            "notes": payload("xss-assessment-notes"),
            "evidence": (io.BytesIO(PDF), f"xss-assessment-file {XSS_NO_SLASH}.pdf"),
        },
    )
    assert response.status_code == 302, "assessment not recorded"
    with world.app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        world.ids["assessment_file"] = assessment.evidence[0].id


def _user_by_email(app: Flask, email: str):
    from educational.accounts.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
    return user


def _organisation_id(app: Flask, marker: str) -> int:
    from educational.accounts.models import Organisation

    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name.contains(marker)))


#: Not crawled: files, and course text (which holds no user's input; see test_sync).
NOT_CRAWLED = re.compile(r"^/(static/|courses/[^/]+/(modules|images)/)")
HREF = re.compile(r'href="([^"#]*)')


def crawl(browser: Browser, seeds, limit: int = 1000) -> dict:
    """Every page reachable by links from ``seeds``: path -> the answer. The HTML pages are
    checked (and kept) by the browser; other answers (CSV, PDF, JWT, JSON) are returned for
    the caller to check."""
    import html as html_module

    queue = list(seeds)
    seen: dict = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = browser.get(url)
        seen[url] = response
        if not is_html(response) or response.status_code != 200:
            continue
        for href in HREF.findall(response.text):
            target = urlsplit(urljoin("http://localhost" + url, html_module.unescape(href)))
            if target.netloc != "localhost" or NOT_CRAWLED.match(target.path):
                continue
            found = target.path + (f"?{target.query}" if target.query else "")
            if found not in seen:
                queue.append(found)
    assert not queue, f"{browser.who}: more than {limit} pages; raise the limit"
    return seen
