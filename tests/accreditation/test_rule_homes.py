"""Rules that had copies in templates, services and models, now one property each:
renewable, submittable, and a revoked course in the checklist (read as eligibility reads it)."""

from datetime import date

import pytest

from educational.accreditation.models import Accreditation
from educational.accreditation.rules.results import EvaluationContext
from educational.accreditation.rules.training import check_course
from educational.core.db import utcnow
from educational.core.errors import NotAllowed
from educational.core.records import CourseRecord, PersonRecord
from educational.experience.models import AuditEntry, ConflictDeclaration
from tests.accreditation.rules_helpers import AS_OF, real_scheme

# The app imports every model, so the mappers can be configured.
pytestmark = pytest.mark.usefixtures("app")


@pytest.mark.parametrize(
    ("status", "renewable"),
    [("active", True), ("expired", True), ("suspended", False), ("withdrawn", False)],
)
def test_renewable_is_one_property_that_renew_obeys(status, renewable):
    accreditation = Accreditation(status=status, valid_until=date(2026, 1, 1))
    assert accreditation.renewable is renewable
    if not renewable:
        # The state machine refuses what the page does not offer (a suspended one was
        # renewed by the model before; only the approval refused it).
        with pytest.raises(NotAllowed):
            accreditation.renew(date(2029, 1, 1), "renewed", actor_id=1, on=None)


@pytest.mark.parametrize(
    ("status", "withdrawn", "submittable"),
    [
        ("draft", False, True),
        ("rejected", False, True),
        ("info_requested", False, True),
        ("submitted", False, False),
        ("verified", False, False),
        ("draft", True, False),
    ],
)
def test_submittable_is_one_property_that_submit_obeys(status, withdrawn, submittable):
    entry = AuditEntry(status=status, withdrawn_at=utcnow() if withdrawn else None)
    assert entry.is_submittable is submittable
    if not submittable:
        with pytest.raises(NotAllowed):
            entry.submit()


def test_a_declaration_is_never_submittable():
    assert not ConflictDeclaration(status="declared").is_submittable


def test_the_checklist_says_a_revoked_course_was_revoked():
    """The checklist used to drop revoked certificates when loading them (so: "not
    completed"); it now reads them as eligibility does, with the day of the revocation."""
    revoked = CourseRecord("asi-auditor", date(2025, 1, 2), date(2028, 1, 2), revoked_on=AS_OF)
    context = EvaluationContext(real_scheme(), (), (), (), AS_OF)
    (result,) = check_course({"course": "asi-auditor"}, PersonRecord(courses=(revoked,)), context)
    assert not result.met
    assert result.reason == (
        f"course asi-auditor was revoked on {AS_OF.isoformat()} (completed on 2025-01-02); "
        "take it again"
    )
    assert revoked.valid_on(date(2026, 11, 25)) and not revoked.valid_on(AS_OF)
