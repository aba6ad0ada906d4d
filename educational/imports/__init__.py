"""Adoption: bring an existing registry and past course completions in from files
(``flask registry import``, ``flask courses import-completions``)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import cli  # here, not at the top: the commands load when the app is built

    cli.init_app(app)
