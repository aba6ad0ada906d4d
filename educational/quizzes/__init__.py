"""Quizzes and exams: attempts, grading, overrides and statistics."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
