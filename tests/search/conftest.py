import pytest

from cms.demo import articles as demo_content


@pytest.fixture
def seed(home):
    """The seed article as `manage.py load_demo_content` loads it, with its four
    recommended articles."""
    return demo_content.load(home)
