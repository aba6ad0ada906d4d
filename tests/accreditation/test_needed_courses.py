"""``accreditation.needed.needed_courses``: what the training requirements of a learner's
intended roles and standards still lack, read with the checklist's own rules (the pure
function, against the synced scheme)."""

from datetime import date

import pytest

from educational.accreditation.needed import Need, needed_courses
from educational.catalog.scheme import current_scheme
from educational.core.records import CourseRecord

DAY = date(2026, 6, 1)
ASI = CourseRecord("asi-auditor", date(2026, 1, 10))
PS3 = CourseRecord("ps-v3-auditors", date(2026, 2, 1), standard="PS", version="3")


@pytest.fixture
def scheme(app, synced_courses):
    with app.app_context():
        yield current_scheme()


@pytest.mark.parametrize(
    ("intents", "courses", "needed"),
    [
        ([], [], []),
        (
            [("auditor", ("PS",))],
            [],
            [Need(slug="asi-auditor"), Need(standard="PS", version="3")],
        ),
        ([("auditor", ("PS",))], [ASI], [Need(standard="PS", version="3")]),
        ([("auditor", ("PS",))], [ASI, PS3], []),
        # Lead auditors include the auditor's requirements; each need is listed once.
        (
            [("lead_auditor", ("PS", "COC")), ("auditor", ("PS",))],
            [PS3],
            [Need(slug="asi-auditor"), Need(standard="COC", version="2")],
        ),
        # A specialist is registered for the whole scheme: no standard's course.
        ([("specialist", ("PS",))], [], [Need(slug="asi-specialist")]),
        # A revoked certificate no longer counts; an unknown role asks for nothing.
        (
            [("auditor", ()), ("astronaut", ("PS",))],
            [CourseRecord("asi-auditor", date(2026, 1, 10), revoked_on=date(2026, 3, 1))],
            [Need(slug="asi-auditor")],
        ),
    ],
)
def test_needed_courses(scheme, intents, courses, needed):
    assert needed_courses(scheme, intents, courses, DAY) == needed
