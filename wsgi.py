"""The WSGI entry point: ``gunicorn wsgi:app``."""

from educational import create_app

app = create_app()
