"""Members' watch lists: registry ids a member company follows, told by a daily e-mail
digest or by webhooks (Standard Webhooks, signed, retried from an outbox).

- ``models.py``: watches, endpoints, deliveries, and the cursors on the change feed.
- ``services.py``: watching and endpoints; ``outbox.py``: the fan-out of new changes into
  deliveries, sending with retries and back-off, the digest; ``signing.py`` (pure) and
  ``addresses.py`` (http(s) only, no private addresses: SSRF).
- ``views.py``: the watch list page; ``cli.py``: ``flask watches deliver`` and ``digest``.
The JSON API's ``/api/v1/watches`` is in ``api/views/watches.py``."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from educational.core.features import register_feature
from educational.core.nav import add_nav


def init_app(app: Flask) -> None:
    from . import cli, services, views  # here, not at the top: see register_feature

    register_feature(app, views, cli)
    add_nav(app, "watches.index", _l("Watch list"), "watch_registry")
    # The registry's pages show a watch button without knowing of this package.
    app.add_template_global(services.watching, "watching")
