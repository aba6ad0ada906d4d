"""IDOR: every URL that names a user's object, requested by another user of the same role.

``OWNED`` lists the routes whose object belongs to one user, with the world's object each
is tried on. The intruder (``other_learner``, ``other_member``) is refused with 403 or 404,
sees none of the owner's data, and changes nothing in the database; the owner, asking the
same URLs, is let in. Every route of the URL map with an argument is in ``OWNED`` or in
``NOT_OWNED`` (with the reason), so a new object route fails here until it is classified."""

from dataclasses import dataclass

from sqlalchemy import select

from educational.core.db import db

from .helpers import methods_of


@dataclass(frozen=True)
class Case:
    endpoint: str
    #: The world's object id (``world.ids``) or certificate code (``world.codes``).
    target: str
    owner: str = "learner"
    intruder: str = "other_learner"
    #: How the refusal looks: 403/404, or "redirect" (back with an error message).
    refusal: str = "403/404"
    #: A query argument that names the object, instead of the route.
    query: str | None = None


OWNED = [
    Case("experience.entry", "entry_audit"),
    Case("experience.edit", "entry_audit"),
    Case("experience.delete", "entry_audit"),
    Case("experience.entry", "entry_cpd"),
    Case("experience.edit", "entry_cpd"),
    Case("experience.submit", "entry_draft"),
    Case("experience.evidence", "evidence"),
    Case("experience.remove_evidence", "evidence"),
    Case("accreditation.application", "application_lead"),
    Case("accreditation.edit", "application_lead"),
    Case("accreditation.submit", "application_lead"),
    Case("accreditation.withdraw", "application_lead"),
    Case("accreditation.new", "accreditation", query="renew"),
    Case("quizzes.attempt", "attempt_open"),
    Case("quizzes.save", "attempt_open"),
    Case("quizzes.autosave", "attempt_open"),
    Case("quizzes.submit", "attempt_open"),
    Case("quizzes.review", "attempt_submitted"),
    Case("quizzes.summary", "attempt_open"),
    Case("certificates.download_pdf", "asi-auditor"),
    Case("certificates.download_credential", "asi-auditor"),
    Case("learning.start_retake", "asi-auditor"),
    Case("registry.download_credential", "accreditation"),
    Case("complaints.about_me", "complaint"),
    Case("complaints.respond", "complaint"),
    # The same answer for an unknown token: nothing is revealed (tests/api/test_tokens.py).
    Case("api_tokens.revoke", "token", "member", "other_member", refusal="redirect"),
    Case("appeals.show", "appeal"),
    Case("appeals.withdraw", "appeal"),
    Case("appeals.evidence", "appeal_evidence"),
    Case("monitoring.evidence", "assessment_file"),
]

#: Routes with arguments that name no user's object, and why no IDOR case applies.
STAFF = "the scheme's staff work on everyone's records (the authorization matrix keeps others out)"
CONTENT = "course content, the same for everyone; acts on the caller's own enrolment or attempt"
PUBLIC = "public by design: the registry, verification and the API show published data"
OWN_LIST = "names a public registry id; acts on the caller's own watch list only"
NOT_OWNED = {
    "static": "files of the site",
    "accounts.confirm": "a signed, expiring token is the key (tests/accounts)",
    "accounts.reset_password": "a signed, expiring, single-use token is the key (tests/accounts)",
    "admin.edit_user": STAFF,
    "names.review": STAFF,
    "names.decide": STAFF,
    "catalog.course": CONTENT,
    "catalog.enrol": CONTENT,
    "catalog.image": CONTENT,
    "catalog.choose_language": CONTENT,
    "catalog.module": CONTENT,
    "catalog.mark_read": CONTENT,
    "catalog.staff_progress": STAFF,
    "quizzes.quiz": CONTENT,
    "quizzes.start": CONTENT,
    "quizzes.overrides": STAFF,
    "quiz_reports.report": STAFF,
    "quiz_reports.question_responses": STAFF,
    "experience.create": "names a kind of entry, not an entry",
    "experience_staff.review": STAFF,
    "experience_staff.decide": STAFF,
    "accreditation_staff.review": STAFF,
    "accreditation_staff.decide": STAFF,
    "accreditation_staff.accreditation": STAFF,
    "accreditation_staff.change_status": STAFF,
    "accreditation_staff.confirm_withdrawal": STAFF,
    "accreditation_firms.firm": STAFF,
    "accreditation_firms.edit": STAFF,
    "accreditation_firms.attach": STAFF,
    "accreditation_firms.detach": STAFF,
    "certificates.staff_detail": STAFF,
    "certificates.revoke": STAFF,
    "certificates.record": PUBLIC,
    "registry.person": PUBLIC,
    "registry.firm": PUBLIC,
    "registry.status_list": PUBLIC,
    "api.certificate": PUBLIC,
    "api.registry_entry": PUBLIC,
    "watches.watch": OWN_LIST,
    "watches.unwatch": OWN_LIST,
    "api.remove_watch": OWN_LIST,
    # Looked up among the caller's own endpoints only (tests/watches: another member's).
    "watches.disable_endpoint": "an endpoint is found among the caller's own (tests/watches)",
    "privacy.review": STAFF,
    # The status link's secret is the key; else only the logged-in complainant and staff
    # (tests/complaints).
    "complaints.status": "a secret token in the link is the key (tests/complaints)",
    "complaints_staff.complaint": STAFF,
    "complaints_staff.acknowledge": STAFF,
    "complaints_staff.note": STAFF,
    "complaints_staff.invite": STAFF,
    "complaints_staff.decide": STAFF,
    "complaints_staff.close": STAFF,
    "complaints_staff.evidence": STAFF,
    "privacy.decide": STAFF,
    # A decision's kind and id: 404 to anyone but the person it is about (tests/appeals).
    "appeals.new": "only the person a decision is about reaches it (tests/appeals)",
    "appeals.lodge": "only the person a decision is about reaches it (tests/appeals)",
    "appeals_staff.appeal": STAFF,
    "appeals_staff.start_review": STAFF,
    "appeals_staff.decide": STAFF,
    "appeals_staff.confirm": STAFF,
    "appeals_staff.send_back": STAFF,
    "monitoring_staff.person": STAFF,
}


def test_every_object_route_is_classified(world):
    with_arguments = {rule.endpoint for rule in world.app.url_map.iter_rules() if rule.arguments}
    owned = {case.endpoint for case in OWNED if case.query is None}
    assert owned & NOT_OWNED.keys() == set()
    assert with_arguments - owned - NOT_OWNED.keys() == set(), "add an IDOR case"
    assert (owned | NOT_OWNED.keys()) - with_arguments == set(), "a listed route is gone"


def _url(world, case: Case) -> str:
    rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == case.endpoint)
    value = world.codes.get(case.target) or world.ids[case.target]
    if case.query:
        return f"{world.url(rule)}?{case.query}={value}"
    values = world.url_values(rule)
    name = next(n for n in rule.arguments if n not in ("slug", "name"))
    return world.url_for(rule, {**values, name: value})


def _requests(world, case: Case) -> list[tuple[str, str]]:
    rule = next(r for r in world.app.url_map.iter_rules() if r.endpoint == case.endpoint)
    return [(method, _url(world, case)) for method in sorted(methods_of(rule))]


def database(app) -> dict:
    """Every row of every table: what a refused request must leave as it was."""
    with app.app_context():
        return {
            table.name: sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
            for table in db.metadata.sorted_tables
        }


def test_another_user_of_the_same_role_is_refused(world):
    browsers = {who: world.browser(who) for who in ("other_learner", "other_member")}
    before = database(world.app)
    failures, requests = [], 0
    for case in OWNED:
        for method, url in _requests(world, case):
            response = browsers[case.intruder].open(url, method, data={"position": "1"})
            requests += 1
            status, body = response.status_code, response.get_data(as_text=True)
            where = f"{case.intruder}: {method} {url} -> {status}"
            if case.refusal == "403/404" and status not in (403, 404):
                failures.append(f"{where}, not 403 or 404")
            if case.refusal == "redirect" and not (
                status == 302 and response.headers["Location"] == "/account/api-tokens"
            ):
                failures.append(f"{where}, not sent back")
            # The owner's data: every free-text value of the world carries "xss-".
            if "xss-" in body:
                failures.append(f"{where}: the owner's data in the answer")
    assert failures == [], "\n".join(failures)
    assert requests > len(OWNED)
    assert database(world.app) == before, "a refused request changed something"
    assert world.problems() == []


def test_the_owner_is_let_in(world):
    """The control: the same URLs are the owner's (GET only: the posts would change the
    objects the other tests use)."""
    browsers = {who: world.browser(who) for who in ("learner", "member")}
    failures = []
    for case in OWNED:
        for method, url in _requests(world, case):
            if method != "GET":
                continue
            response = browsers[case.owner].get(url)
            if response.status_code not in (200, 302) or "/login" in response.headers.get(
                "Location", ""
            ):
                failures.append(f"{case.owner}: GET {url} -> {response.status_code}")
    assert failures == []


def test_a_firms_affiliation_is_reached_only_through_its_firm(world):
    """Staff detach an affiliation under its firm's URL; under another firm's, it is not
    found (the ids are checked together)."""
    staff = world.browser("staff")
    response = staff.post(
        "/staff/firms/new",
        data={
            "name": "Another Firm",
            "country": "NO",
            "accreditation_body": "Another Body",
            "accreditation_standard": "other",
            "status": "active",
        },
    )
    other_firm = int(response.headers["Location"].rsplit("/", 1)[1])
    before = database(world.app)
    response = staff.post(
        f"/staff/firms/{other_firm}/affiliations/{world.ids['affiliation']}/detach",
        data={"until": "2030-01-01"},
    )
    assert response.status_code == 404
    assert database(world.app) == before
