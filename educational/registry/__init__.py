"""The public registry, registry statistics, and eligibility checks for members.

- ``eligibility.py``: the one rule engine (pure); ``holders.py`` loads its data and finds
  everyone eligible; ``params.py`` checks the parameters for the pages and the API alike.
- ``search.py``, ``entries.py``, ``csvexport.py``: the registry search and its entries.
- ``statistics.py`` (the figures, in SQL), ``snapshot.py`` (stored, refreshed by
  ``flask registry statistics`` and after changes; pages only read it) and ``charts.py``.
- ``limits.py``: rate limits of the public pages and the CSV export.
- ``credential.py`` and ``statuslist.py``: the accreditation credential (Open Badges 3.0,
  VC-JWT) and the Bitstring Status List it points to.
- ``views.py`` (public pages, credential downloads) and ``members.py`` (members' pages).
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.permissions import object_rule


@object_rule("download_accreditation_credential")
def _may_download_credential(user, accreditation) -> bool:
    """Only the holder: the signed credential is theirs to put in a wallet."""
    return accreditation.profile.user_id == user.id


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import cli, members, views
    from .limits import DEFAULTS as LIMITS

    for key, value in LIMITS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("REGISTRY_SCHEME_SECONDS", 30)
    app.register_blueprint(views.bp)
    app.register_blueprint(members.bp)
    cli.init_app(app)
    add_nav(app, "registry.index", _l("Registry"))
    add_nav(app, "registry.statistics", _l("Registry statistics"))
    add_nav(app, "members.eligibility", _l("Check eligibility"), "check_eligibility")
    add_nav(app, "members.shortlist", _l("Find eligible auditors"), "check_eligibility")
