"""Certificates of course completion: code, PDF, QR, public verification, Open Badges."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
