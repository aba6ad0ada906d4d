"""Security headers on every GET endpoint of the URL map, requested on the world's real
objects as anonymous, as the learner who owns them and as an admin: whatever the answer
(page, file, JSON, redirect, error), it carries the headers. HTML pages get the strict page
policy; files served with a policy of their own (course images, evidence) are sandboxed.
HSTS is sent over HTTPS only."""

import pytest

from educational.core.security import CONTENT_SECURITY_POLICY

from .helpers import methods_of

WHO = (None, "learner", "admin")
#: The share of GET endpoints that answer 200: the admin is let in nearly everywhere, the
#: learner to their own objects and pages.
REACHED = {None: 0.2, "learner": 0.5, "admin": 0.75}
SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name.lower()] = values
    return found


def header_problems(response) -> list[str]:
    headers = response.headers
    problems = []
    policy = headers.get("Content-Security-Policy")
    if not policy:
        return ["no Content-Security-Policy"]
    if len(headers.getlist("Content-Security-Policy")) != 1:
        problems.append("several Content-Security-Policy headers")
    csp = directives(policy)
    if csp.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors is {csp.get('frame-ancestors')}")
    if "'unsafe-eval'" in policy:
        problems.append("'unsafe-eval'")
    if response.mimetype == "text/html":
        if policy != CONTENT_SECURITY_POLICY:
            problems.append(f"a page with another policy: {policy}")
    elif policy != CONTENT_SECURITY_POLICY:
        # A file's own policy: nothing may run, even opened on its own.
        if "sandbox" not in csp or csp.get("default-src") != ["'none'"]:
            problems.append(f"a file's policy without sandbox and default-src 'none': {policy}")
        unsafe = {name for name, values in csp.items() if "'unsafe-inline'" in values}
        if unsafe - {"style-src"}:
            problems.append(f"'unsafe-inline' in {unsafe}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"X-Content-Type-Options {headers.get('X-Content-Type-Options')}")
    if headers.get("Referrer-Policy") not in SAFE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options {headers.get('X-Frame-Options')}")
    return problems


def test_the_page_policy_forbids_inline_code_and_framing():
    csp = directives(CONTENT_SECURITY_POLICY)
    assert not [
        name
        for name, values in csp.items()
        if {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(values)
    ]
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


def get_requests(world) -> list[tuple[str, str]]:
    """(endpoint, url) of every GET endpoint."""
    return [
        (rule.endpoint, world.url(rule))
        for rule in world.app.url_map.iter_rules()
        if "GET" in methods_of(rule)
    ]


@pytest.mark.parametrize("who", WHO, ids=lambda who: who or "anonymous")
def test_every_answer_carries_the_security_headers(world, who):
    browser = world.browser(who)
    requests = get_requests(world)
    failures, statuses = [], {}
    for endpoint, url in requests:
        response = browser.get(url)
        statuses[endpoint] = response.status_code
        failures += [f"{url}: {problem}" for problem in header_problems(response)]
        if "Strict-Transport-Security" in response.headers:
            failures.append(f"{url}: HSTS over plain HTTP")
    assert failures == [], "\n".join(failures)
    assert len(requests) >= 70
    # Pages themselves are checked, not only errors and redirects.
    reached = {endpoint for endpoint, status in statuses.items() if status == 200}
    assert len(reached) >= REACHED[who] * len(requests), sorted(set(statuses) - reached)
    assert world.problems() == []


def test_the_image_and_evidence_files_are_sandboxed(world):
    image = world.browser(None).get("/courses/asi-auditor/images/xss.svg")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    assert "sandbox" in directives(image.headers["Content-Security-Policy"])
    evidence = world.browser("learner").get(f"/experience/evidence/{world.ids['evidence']}")
    assert evidence.status_code == 200
    assert "sandbox" in directives(evidence.headers["Content-Security-Policy"])
    assert evidence.headers["Content-Disposition"].startswith("attachment")


def test_hsts_over_https(world):
    browser = world.browser(None)
    for url in ("/", "/registry", "/api/v1/registry", "/no-such-page", "/login"):
        response = browser.get(url, base_url="https://localhost")
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert hsts.startswith("max-age=31536000") and "includeSubDomains" in hsts, url
        assert header_problems(response) == [], url
