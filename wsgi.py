"""The WSGI entry point: ``gunicorn wsgi:app`` (and the ``flask`` command's app)."""

import gc

from educational import create_app

app = create_app()
# What start-up made lives as long as the process: later collections need not walk it again.
gc.freeze()
