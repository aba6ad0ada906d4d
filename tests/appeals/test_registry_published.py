"""What the public registry shows of appeals and complaints: only what scheme.yml's
``registry:`` section publishes (both off by default), and never on a past day's entry."""

import pytest
from sqlalchemy import select

from educational.accreditation.models import RegistryProfile
from educational.catalog.models import SchemeConfig
from educational.core.db import db, today, utcnow
from tests.appeals.test_appeals import lodge

pytestmark = pytest.mark.csrf


def publish(app, **flags: bool) -> None:
    with app.app_context():
        row = db.session.scalar(select(SchemeConfig))
        cycle = dict(row.data.get("cycle", {}))
        cycle.update(flags)
        row.data = {**row.data, "cycle": cycle}
        db.session.commit()


def test_an_open_appeal_shows_only_when_the_scheme_publishes_it(app, suspended):
    world, change_id = suspended
    lodge(app, world.learner, "suspension", change_id)
    url = f"/registry/{world.registry_id}"
    marker = f'id="under-appeal-{world.accreditation_id}"'
    assert marker not in app.test_client().get(url).get_data(as_text=True)

    publish(app, publish_under_appeal=True)
    page = app.test_client().get(url).get_data(as_text=True)
    assert marker in page and "under appeal" in page
    # An entry on a day shows the statuses of that day only (today's too).
    dated = app.test_client().get(f"{url}?on={today().isoformat()}").get_data(as_text=True)
    assert f'id="accreditation-{world.accreditation_id}"' in dated
    assert marker not in dated


def test_upheld_complaints_show_only_when_the_scheme_publishes_them(app, accredited):
    from educational.complaints.models import Complaint

    with app.app_context():
        profile = db.session.scalar(select(RegistryProfile))
        db.session.add(
            Complaint(
                reference="C-2026-9999",
                profile_id=profile.id,
                description="Reports copied from another audit.",
                token_hash="0" * 64,
                status="decided",
                outcome="warning",
                decided_at=utcnow(),
            )
        )
        db.session.commit()
    url = f"/registry/{accredited.registry_id}"
    assert 'id="upheld-complaints"' not in app.test_client().get(url).get_data(as_text=True)
    publish(app, publish_upheld_complaints=True)
    page = app.test_client().get(url).get_data(as_text=True)
    assert 'id="upheld-complaints">1<' in page
