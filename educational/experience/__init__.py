"""The experience log: audits, work, qualifications, languages, conflicts, evidence."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
