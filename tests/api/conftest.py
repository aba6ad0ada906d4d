import pytest

from tests.builders.registry import member, member_token, registry  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _api_config(app, tmp_path):
    app.config["CREDENTIAL_KEY_PATH"] = str(tmp_path / "keys" / "credential-key.pem")
    app.config["REGISTRY_STATISTICS_SECONDS"] = 0
