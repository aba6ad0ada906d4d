"""Demo and synthetic data for newcomers, demos and benchmarks, and, in development only, the
e-mail the app sent, readable at ``/dev/mail`` (mailview.py)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import cli  # loads when the app is built (start-up cost), as in every feature

    cli.init_app(app)
    # Never in production (nor testing, unless a test builds a development app): the page
    # shows every message's links, password resets included, to anyone.
    if app.config["ENV"] == "development":
        from . import mailview

        app.register_blueprint(mailview.bp)
