"""Configuration defaults live in educational/config.py: every key the code reads has its
default there, and the files of the app default to the instance folder."""

import re
from pathlib import Path

import pytest

from educational import create_app
from educational.config import INSTANCE_PATHS, DefaultConfig
from tests.conftest import base_config

PACKAGE = Path(__file__).parents[2] / "educational"
#: ``app.config["KEY"]`` or ``config.get("KEY"...)`` in the code.
READ = re.compile(r"config(?:\.get\(|\[)\"([A-Z][A-Z0-9_]+)\"")
#: Keys read that are no setting of ours: Flask's and its extensions', and the alias of
#: SQLALCHEMY_DATABASE_URI that create_app reads.
NOT_OURS = {"TESTING", "DATABASE_URL"}


def test_every_key_the_code_reads_has_its_default_in_config_py():
    read = {key for path in PACKAGE.rglob("*.py") for key in READ.findall(path.read_text())}
    missing = sorted(key for key in read - NOT_OURS if not hasattr(DefaultConfig, key))
    assert read and missing == []


def test_no_feature_sets_a_default_of_its_own():
    setting = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "config.setdefault(" in line
    ]
    assert setting == []


def test_files_default_to_the_instance_folder(tmp_path):
    config = base_config(tmp_path)
    for key in INSTANCE_PATHS:
        del config[key]
    app = create_app(config)
    instance = Path(app.instance_path)
    assert [app.config[key] for key in INSTANCE_PATHS] == [
        str(instance / "credential-key.pem"),
        str(instance / "audit-checkpoints.jsonl"),
        str(instance / "evidence"),
        str(instance / "demo-passwords.json"),
    ]


@pytest.mark.parametrize("key", INSTANCE_PATHS)
def test_an_absolute_file_path_is_kept(tmp_path, key):
    app = create_app(base_config(tmp_path, **{key: str(tmp_path / "elsewhere")}))
    assert app.config[key] == str(tmp_path / "elsewhere")
