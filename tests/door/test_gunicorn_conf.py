"""gunicorn.conf.py's hooks, run in this process (as gunicorn's master would)."""

import gc
import runpy
import sys
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_pre_fork_freezes_the_loaded_app_out_of_the_collectors_reach(unfrozen):
    hooks = runpy.run_path(str(CONF))
    assert gc.get_freeze_count() == 0
    hooks["pre_fork"](server=None, worker=None)
    # The app's objects are out of every collection: a full one walks only new objects.
    assert gc.get_freeze_count() > 10_000
    assert "cms.urls" in sys.modules
