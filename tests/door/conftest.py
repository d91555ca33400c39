import pytest

from tests.support.answer_cache import answer_cache


@pytest.fixture
def cached(settings, django_capture_on_commit_callbacks):
    """The response cache on, in real Redis under a fresh prefix; yields a test client."""
    with answer_cache(settings) as client:
        yield client
