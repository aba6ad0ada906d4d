"""Demo and synthetic data for newcomers, demos and benchmarks."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import cli

    cli.init_app(app)
