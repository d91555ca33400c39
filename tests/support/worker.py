"""The durable task worker, run inside a test until no task is due."""

import pytest
from django.core.management import call_command

# The worker closes the database connection between tasks, as a long-running process
# should; inside a test's wrapping transaction that would end the test on PostgreSQL.
# Tests that run the worker therefore commit for real (and restore the initial data).
with_worker = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker():
    """The durable worker as `make run` starts it, until no task is due."""
    call_command(
        "db_worker",
        "--backend=durable",
        "--batch",
        "--interval=0",
        "--no-startup-delay",
        verbosity=0,
    )
