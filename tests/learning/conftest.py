from tests.quizzes.conftest import learner  # noqa: F401 (the fixture)
