import pytest

from tests.builders.registry import member, member_token, registry  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _registry_config(app, tmp_path):
    """Credentials signed with a key in the test's folder. (The statistics snapshot is
    refreshed after every commit that changes the registry, the builder's too.)"""
    app.config["CREDENTIAL_KEY_PATH"] = str(tmp_path / "keys" / "credential-key.pem")
