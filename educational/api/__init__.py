"""The JSON API v1 (see DESIGN.md): registry, eligibility, certificates, OpenAPI."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
