import pytest


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    """Evidence goes to the test's own folder, never to the instance folder."""
    path = tmp_path / "evidence"
    app.config["EVIDENCE_PATH"] = str(path)
    return path
