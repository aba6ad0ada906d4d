import pytest

from .helpers import dispose_app, make_app
from .world import build_world


@pytest.fixture(scope="module")
def world(request, tmp_path_factory, _postgres_schema):
    """One populated app for the whole module (see ``world.py``), built in seconds and
    shared by the module's tests, which must say what they change in it. Modules using it
    use no function-scoped ``app``: on PostgreSQL its teardown empties every table.

    ``pytestmark = pytest.mark.csrf`` on the module switches CSRF protection on once the
    world is built (Flask-WTF reads the setting on every request)."""
    app = make_app(tmp_path_factory.mktemp("world"))
    try:
        built = build_world(app)
        if request.node.get_closest_marker("csrf"):
            app.config["WTF_CSRF_ENABLED"] = True
        yield built
    finally:
        dispose_app(app)
