from tests.builders.registry import member, member_token, registry  # noqa: F401 (fixtures)
