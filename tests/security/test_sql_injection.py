"""SQL injection: hostile strings in every search and filter parameter (pages, CSV exports
and the API), in every string segment of every URL, in the API's bearer token and in the
log-in form. Never a server error, never a password hash in an answer, every table as it
was, and a tautology matches nobody. Every answer that is a page is also checked for
reflected markup (the strings include a script).

``PARAMETERS`` lists what each endpoint reads; ``test_every_parameter_read_is_listed``
scans the source for ``args.get("...")`` (and the GET forms' fields), so a new parameter
fails until it is listed here."""

import re
from pathlib import Path

import pytest
from flask_wtf import FlaskForm

import educational

from .helpers import markup_problems, methods_of, rule_arguments, table_counts, url_for_rule

INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE users; --",
    "'; DROP TABLE users; --",
    "%' UNION SELECT password_hash FROM users --",
    "' UNION SELECT password_hash, email, name FROM users --",
    "1) OR (1=1",
    "%",
    "_",
    "\\",
    "\x00",
    "a\x00' OR 1=1 --",
    "99999999999999999999999999999",
    "-1",
    "A" * 5000,
    "Ωμέγα 中文 🚀 \u202e\ufeff",
    "<script>alert(1)</script>",
]
#: The strings that are no real value of any field: a search for them must find nothing.
TAUTOLOGIES = INJECTIONS[:8]
SCOPE = {"role": "auditor", "standard": "PS", "sector": "aluminium-smelting", "country": "NO"}


def parameters(world) -> list[tuple[str, str | None, dict, tuple[str, ...]]]:
    """(path, who, the other parameters' valid values, the parameters injected one at a
    time). ``who`` is a world user, None for anonymous, or "token" for the member's API
    token."""
    rid, ids = world.registry_id, world.ids
    registry = ("q", "role", "standard", "sector", "country", "language", "status", "sort")
    question = ("role", "standard", "sector", "country", "date")
    eligibility = {**SCOPE, "registry_id": rid, "entity": "Some Entity"}
    checklist = ("role", "scopes", "countries", "specialist_areas")
    quiz_report = f"/staff/quizzes/{ids['quiz']}/report"
    return [
        ("/registry", None, {}, (*registry, "page")),
        ("/registry.csv", None, {}, registry),
        (f"/registry/{rid}", None, {}, ("on",)),
        (f"/api/v1/registry/{rid}", None, {}, ("as_of",)),
        ("/api/v1/registry", None, {}, (*registry, "page", "per_page")),
        ("/api/v1/registry", "token", {}, ("q", "page", "per_page")),
        ("/api/v1/registry/changes", None, {}, ("since", "limit")),
        ("/api/v1/eligible", "token", SCOPE, (*question, "page", "per_page")),
        ("/api/v1/eligibility", "token", eligibility, (*question, "registry_id", "entity")),
        ("/members/eligibility", "member", eligibility, (*question, "registry_id", "entity")),
        ("/members/eligible", "member", SCOPE, (*question, "page")),
        ("/members/eligible.csv", "member", SCOPE, question),
        ("/verify", None, {}, ("code",)),
        ("/staff/certificates", "admin", {}, ("q",)),
        ("/admin/users", "admin", {}, ("q", "page")),
        (
            "/staff/accreditation/applications",
            "admin",
            {"status": "all"},
            ("status", "role", "kind", "flagged", "q", "page"),
        ),
        (
            "/staff/accreditation/applications.csv",
            "admin",
            {"status": "all"},
            ("status", "role", "kind", "flagged", "q"),
        ),
        (
            "/staff/accreditation/accreditations",
            "admin",
            {},
            ("status", "role", "standard", "expiring", "q", "page"),
        ),
        (
            "/staff/accreditation/accreditations.csv",
            "admin",
            {},
            ("status", "role", "standard", "expiring", "q"),
        ),
        ("/staff/experience/", "admin", {}, ("kind", "page")),
        ("/staff/firms/", "admin", {}, ("status",)),
        (quiz_report, "admin", {}, ("attempts", "format")),
        (f"{quiz_report}/questions/{ids['question']}", "admin", {}, ("attempts",)),
        ("/staff/courses/asi-auditor/progress", "admin", {}, ("format",)),
        ("/accreditation/", "learner", {"role": "auditor"}, checklist),
        ("/accreditation/applications/new", "learner", {}, ("renew", *checklist)),
        ("/login", None, {}, ("next",)),
        ("/complaints/new", None, {"registry_id": rid}, ("registry_id", "firm_id")),
        (world.complaint_link.split("?")[0], None, {}, ("token",)),
        ("/staff/complaints/", "admin", {}, ("show",)),
        ("/staff/monitoring/", "admin", {}, ("within",)),
        ("/staff/monitoring/new", "admin", {}, ("accreditation_id", "kind")),
    ]


def test_every_parameter_read_is_listed(world):
    root = Path(educational.__file__).parent
    read = set()
    patterns = (
        r'args\.get\(\s*"(\w+)"',
        r'args\[\s*"(\w+)"\s*\]',
        r'"(\w+)" in (?:request\.)?args',
        r'args\.getlist\(\s*"(\w+)"',
    )
    for path in root.rglob("*.py"):
        source = path.read_text()
        for pattern in patterns:
            read |= set(re.findall(pattern, source))
        if "db.paginate(" in source:
            read.add("page")  # Flask-SQLAlchemy reads it from the query string
    for form in _subclasses(FlaskForm):
        if getattr(form.Meta, "csrf", True) is False:  # a GET form: its fields are params
            read |= {name for name in dir(form) if hasattr(getattr(form, name), "field_class")}
    listed = {name for *_rest, names in parameters(world) for name in names}
    assert read - listed == set(), "add the parameter to PARAMETERS"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def answer_problems(where: str, response) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    body = response.get_data(as_text=True)
    if "$argon2" in body:
        problems.append(f"{where}: a password hash in the answer")
    if response.mimetype == "text/html":
        problems += [f"{where}: {problem}" for problem in markup_problems(body)]
    return problems


@pytest.fixture(scope="module")
def clients(world):
    found = {who: world.browser(who).client for who in (None, "learner", "member", "admin")}
    found["token"] = world.app.test_client()
    return found


def _get(clients, world, who, path, query):
    headers = {"Authorization": f"Bearer {world.token_secret}"} if who == "token" else {}
    response = clients[who].get(path, query_string=query, headers=headers)
    response.get_data()
    response.close()
    return response


def test_hostile_strings_in_every_search_parameter(world, clients):
    before = table_counts(world.app)
    problems, requests = [], 0
    for path, who, valid, names in parameters(world):
        for name in names:
            for injection in INJECTIONS:
                response = _get(clients, world, who, path, {**valid, name: injection})
                requests += 1
                problems += answer_problems(f"{who} {path} {name}={injection[:40]!r}", response)
    assert problems == [], "\n".join(problems)
    assert requests > 1500
    assert table_counts(world.app) == before


def test_a_tautology_matches_nobody(world, clients):
    emails = [user.email for user in world.users.values()]
    for injection in TAUTOLOGIES:
        api = _get(clients, world, None, "/api/v1/registry", {"q": injection, "status": "any"})
        assert api.get_json()["total"] == 0, injection
        users = _get(clients, world, "admin", "/admin/users", {"q": injection})
        assert not [email for email in emails if email in users.text], injection
        certificates = _get(clients, world, "admin", "/staff/certificates", {"q": injection})
        assert not [code for code in world.codes.values() if code in certificates.text]
        queue = _get(
            clients,
            world,
            "admin",
            "/staff/accreditation/applications",
            {"q": injection, "status": "all"},
        )
        assert "xss-name-learner" not in queue.text, injection
    # The control: a real name is found.
    api = _get(clients, world, None, "/api/v1/registry", {"q": "xss-name-learner"})
    assert api.get_json()["total"] == 1


def test_hostile_strings_in_every_url_segment(world, clients):
    """Every string argument of every route (registry ids, certificate codes, slugs,
    names, tokens...), for anonymous and an admin."""
    before = table_counts(world.app)
    problems, requests = [], 0
    for rule in world.app.url_map.iter_rules():
        if "GET" not in methods_of(rule):
            continue
        strings = [n for n, kind in rule_arguments(rule).items() if kind in ("unicode", "path")]
        for name in strings:
            for injection in INJECTIONS:
                values = {**world.url_values(rule), name: injection}
                url = url_for_rule(world.app, rule, values)
                for who in (None, "admin"):
                    response = _get(clients, world, who, url, {})
                    requests += 1
                    problems += answer_problems(f"{who} {url[:80]}", response)
    assert problems == [], "\n".join(problems)
    assert requests > 300
    assert table_counts(world.app) == before


def test_out_of_range_ids_are_not_found(world, clients):
    """Ids past the database's integers, in every integer argument of every route and in
    the ``renew`` and ``page`` query arguments: "not found" or an empty page, never an
    overflow in the database driver."""
    problems, requests = [], 0
    huge = ("2147483648", "9223372036854775808", "9" * 40)
    for rule in world.app.url_map.iter_rules():
        integers = [name for name, kind in rule_arguments(rule).items() if kind == "integer"]
        for name in integers:
            for number in huge:
                values = {**world.url_values(rule), name: int(number)}
                url = url_for_rule(world.app, rule, values)
                for method in sorted(methods_of(rule)):
                    response = clients["admin"].open(url, method=method)
                    requests += 1
                    if response.status_code != 404:
                        problems.append(f"{method} {url}: {response.status_code}")
    for path, query in (
        ("/accreditation/applications/new", "renew"),
        ("/admin/users", "page"),
        ("/staff/accreditation/applications", "page"),
        ("/staff/accreditation/accreditations", "page"),
        ("/staff/experience/", "page"),
    ):
        for number in huge:
            response = clients["admin"].get(path, query_string={query: number})
            if response.status_code not in (200, 404):
                problems.append(f"{path}?{query}={number}: {response.status_code}")
    assert problems == [], "\n".join(problems)
    assert requests > 100


def test_hostile_bearer_tokens_are_refused(world):
    client = world.app.test_client()
    for injection in [*INJECTIONS, *(f"edu_{i}" for i in INJECTIONS)]:
        response = client.get(
            "/api/v1/eligible", query_string=SCOPE, headers={"Authorization": f"Bearer {injection}"}
        )
        assert response.status_code == 401, injection
        assert response.get_json()["error"]["code"] == "invalid_token"


def test_hostile_log_in_never_logs_in(world):
    client = world.app.test_client()
    email = world.users["learner"].email
    for injection in INJECTIONS:
        for data in (
            {"email": injection, "password": injection},
            {"email": f"{email}' --", "password": injection},
            {"email": email, "password": injection},
        ):
            response = client.post("/login", data=data)
            # The form again; a NUL is refused outright (see test_nul_is_refused).
            expected = 400 if "\x00" in injection else 200
            assert response.status_code == expected, (data, response.status_code)
            assert "$argon2" not in response.text
    assert client.get("/account").status_code == 302


def test_nul_is_refused(world):
    """PostgreSQL refuses NUL in text, so it never reaches the database: a path holding one
    is not found, a form posting one is refused, a search drops it."""
    learner = world.browser("learner").client
    for url in ("/courses/%00", "/verify/%00", "/registry/ASI-%00", "/api/v1/certificates/%00"):
        assert learner.get(url).status_code == 404, url
    response = learner.post("/account", data={"name": "a\x00b", "timezone": "UTC", "locale": "en"})
    assert response.status_code == 400
    response = learner.post("/login", data={"email": "\x00", "password": "x"})
    assert response.status_code == 400
    admin = world.browser("admin").client
    response = admin.get("/admin/users", query_string={"q": "learner\x00@example.org"})
    assert response.status_code == 200 and "learner@example.org" in response.text
