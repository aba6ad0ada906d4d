"""Demo and synthetic data for newcomers, demos and benchmarks."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import cli  # loads when the app is built (start-up cost), as in every feature

    cli.init_app(app)
