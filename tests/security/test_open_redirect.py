"""Open redirects: no redirect ever leaves the site, whatever a user puts in a target.

The user-supplied targets are the log-in's ``next`` (query string) and the language
switch's ``next`` (form field); both go through ``safe_next``. Every ``redirect(...)`` in
the source is checked to be one of those or a ``url_for`` of the app's own (not fed whole
query strings, whose keys url_for would read as ``_external``, ``_scheme``...), and every
GET endpoint is requested with hostile ``next``-like parameters."""

import ast
from pathlib import Path
from urllib.parse import quote

import pytest

import educational
from tests.conftest import PASSWORD

from .helpers import methods_of, off_site

HOSTILE = [
    "https://evil.example",
    "http://evil.example/path?x=1",
    "https://localhost.evil.example/",
    "https://localhost@evil.example/",
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "//evil.example@localhost/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "http:/evil.example",
    "http:evil.example",
    "https:\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\t//evil.example",
    "\x00//evil.example",
    "\u3000//evil.example",
    "//evil\u3002example",
    "/ /evil.example",
]
#: The same as a browser would send them already encoded in the URL (decoded once by the
#: server): double encodings, encoded slashes and backslashes, encoded control characters.
HOSTILE_ENCODED = [
    "%2F%2Fevil.example",
    "%252F%252Fevil.example",
    "%5C%5Cevil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "%09//evil.example",
    "%00//evil.example",
    "https%3A%2F%2Fevil.example",
    "%68ttps://evil.example",
    "javascript%3Aalert(1)",
]
#: Names a redirect target could hide under, for the sweep of every GET endpoint.
TARGET_NAMES = ("next", "return", "return_to", "redirect", "url", "_external", "_scheme")


def location_of(response) -> str:
    assert response.status_code in (301, 302, 303, 307, 308), response.status_code
    return response.headers["Location"]


@pytest.mark.parametrize("encoded", [False, True], ids=["decoded", "encoded"])
def test_login_never_follows_next_off_site(world, encoded):
    email = world.users["learner"].email
    failures = []
    for target in HOSTILE_ENCODED if encoded else HOSTILE:
        client = world.app.test_client()
        url = f"/login?next={target}" if encoded else f"/login?next={quote(target, safe='')}"
        response = client.post(url, data={"email": email, "password": PASSWORD})
        location = location_of(response)
        if off_site(location):
            failures.append(f"{target!r} -> {location!r}")
    assert failures == []


def test_login_follows_a_path_on_the_site(world):
    client = world.app.test_client()
    response = client.get("/experience/?x=1")
    assert location_of(response) == "/login?next=%2Fexperience%2F%3Fx%3D1"
    login_url = location_of(response)
    response = client.post(
        login_url, data={"email": world.users["learner"].email, "password": PASSWORD}
    )
    assert location_of(response) == "/experience/?x=1"


@pytest.mark.parametrize("who", [None, "learner"], ids=["anonymous", "learner"])
def test_the_language_switch_never_follows_next_off_site(world, who):
    browser = world.browser(who)
    failures = []
    for target in HOSTILE + HOSTILE_ENCODED:
        response = browser.post("/language", data={"language": "en", "next": target})
        if "\x00" in target and response.status_code == 400:
            continue  # a form holding NUL is refused outright (core.security.refuse_nul)
        location = location_of(response)
        if off_site(location):
            failures.append(f"{target!r} -> {location!r}")
    assert failures == []
    response = browser.post("/language", data={"language": "en", "next": "/registry?q=a"})
    assert location_of(response) == "/registry?q=a"


def test_no_get_endpoint_redirects_off_site_on_hostile_parameters(world):
    """Every GET endpoint, as anonymous and as an admin, with every target name set to each
    hostile target: a redirect (the log-in's, the CSV export's back to its page...) stays
    on the site, and nothing fails."""
    rules = [r for r in world.app.url_map.iter_rules() if "GET" in methods_of(r)]
    failures = []
    for who in (None, "admin"):
        browser = world.browser(who)
        for rule in rules:
            for target in ("//evil.example", "https://evil.example", "javascript:alert(1)"):
                query = dict.fromkeys(TARGET_NAMES, target) | {"endpoint": "x"}
                response = browser.get(world.url(rule), query_string=query)
                location = response.headers.get("Location")
                if location and off_site(location):
                    failures.append(f"{who}: {rule.rule} -> {location}")
    assert failures == []
    assert world.problems() == []


def _is_own_target(node: ast.expr) -> bool:
    """A redirect target the app builds itself: ``url_for`` (without keyword arguments
    unpacked from the request) or ``safe_next``, possibly combined with ``or`` / ``if``."""
    if isinstance(node, ast.BoolOp):
        return all(_is_own_target(value) for value in node.values)
    if isinstance(node, ast.IfExp):
        return _is_own_target(node.body) and _is_own_target(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "safe_next":
            return True
        if node.func.id == "url_for":
            unpacked = [k.value for k in node.keywords if k.arg is None]
            return not any("request" in ast.unparse(value) for value in unpacked)
    return False


def test_every_redirect_in_the_source_targets_the_site():
    root = Path(educational.__file__).parent
    redirects, foreign = 0, []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "redirect":
                redirects += 1
                if not _is_own_target(node.args[0]):
                    where = f"{path.relative_to(root)}:{node.lineno}"
                    foreign.append(f"{where}: redirect({ast.unparse(node.args[0])})")
    assert redirects > 40
    assert foreign == [], "pass a user's target through safe_next"


def test_the_safe_next_check_itself():
    from educational.core.security import safe_next

    for target in HOSTILE:
        assert safe_next(target) is None or not off_site(safe_next(target)), target
    for target in ("/", "/registry?q=a%2Fb", "/courses/asi-auditor#modules"):
        assert safe_next(target) == target
