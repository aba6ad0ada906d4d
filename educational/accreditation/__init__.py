"""Accreditation: the scheme's rules, applications, decisions, accreditations, sweep."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
