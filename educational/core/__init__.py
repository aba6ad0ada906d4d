"""Shared plumbing: database, extensions, errors, permissions, audit trail and mail outbox."""

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from educational import add_nav

    from . import cli, views

    instance = Path(app.instance_path)
    # The app's Ed25519 key (core/keys.py), which signs credentials and audit checkpoints.
    app.config.setdefault("CREDENTIAL_KEY_PATH", str(instance / "credential-key.pem"))
    # The signed checkpoints of the audit chain (core/checkpoints.py): ship it elsewhere.
    app.config.setdefault("AUDIT_CHECKPOINT_PATH", str(instance / "audit-checkpoints.jsonl"))
    app.register_blueprint(views.bp)
    cli.init_app(app)
    add_nav(app, "core.index", _l("Home"))
