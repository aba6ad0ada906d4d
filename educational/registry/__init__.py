"""The public registry, registry statistics, and eligibility checks for members.

- ``eligibility.py``: the one rule engine (pure), assembling the checks of ``checks.py``
  on the plain data of ``facts.py``; ``holders.py`` loads that data and finds everyone
  eligible, after the SQL pre-filter of ``candidates.py``; ``sql.py``: SQL pieces the
  registry's queries share.
- ``schemas.py``: the parameters, declared once (marshmallow) for the pages and the API.
- ``queries.py``: what the pages and the API read, asked the same way by both (the search,
  entries, firms, the engine's answers, the change feed).
- ``search.py``, ``entries.py``, ``csvexport.py``: the registry search and its entries.
- ``statistics.py`` (the figures, in SQL), ``snapshot.py`` (stored, refreshed by
  ``flask registry statistics`` and after changes; pages only read it) and ``charts.py``.
- ``limits.py``: rate limits of the public pages and the CSV export.
- ``credential.py`` and ``statuslist.py``: the accreditation credential (Open Badges 3.0,
  VC-JWT) and the Bitstring Status List it points to.
- ``views/``: the web layer: ``public.py`` (the public pages), ``credentials.py`` (credential
  downloads, the status list) and ``members.py`` (members' pages).
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav
from educational.core.permissions import object_rule


@object_rule("download_accreditation_credential")
def _may_download_credential(user, accreditation) -> bool:
    """Only the holder: the signed credential is theirs to put in a wallet."""
    return accreditation.profile.user_id == user.id


def init_app(app: Flask) -> None:
    from . import cli, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "registry.index", _l("Registry"))
    add_nav(app, "registry.statistics", _l("Registry statistics"))
    add_nav(app, "members.eligibility", _l("Check eligibility"), "check_eligibility")
    add_nav(app, "members.shortlist", _l("Find eligible auditors"), "check_eligibility")
