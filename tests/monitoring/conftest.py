from tests.builders.registry import registry  # noqa: F401 (fixtures)
