"""What every feature's ``init_app`` does first: register its web layer and its commands."""

from types import ModuleType

from flask import Flask


def register_feature(app: Flask, views: ModuleType, cli: ModuleType | None = None) -> None:
    """Register a feature's blueprints (``views.blueprints``) and its commands
    (``cli.init_app``). The feature imports both inside its ``init_app``, so they load when
    the app is built, not whenever another module imports a model or a service of the
    feature (start-up cost)."""
    for blueprint in views.blueprints:
        app.register_blueprint(blueprint)
    if cli is not None:
        cli.init_app(app)
