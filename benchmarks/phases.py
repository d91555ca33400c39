"""`make bench`'s profile mode: where an uncached request's time goes, phase by phase.

Run by benchmarks/run.py through `manage.py shell` (settings benchmarks.settings, the answer
cache off): each request goes through the whole Django stack in this process (Django's test
client: middleware, URL routing, the view), and timing hooks wrapped around the phases
record parse/validate, execute and serialize, and every SQL query's count and time. What is
left of the request's time ("other") is middleware, routing, the answer cache's checks and
the response's headers. The hooks replace module attributes in this process only; a hook
whose target a change has moved is reported as missing, not guessed at.

Timings are wall-clock (perf_counter) and include waiting for PostgreSQL: on a busy
machine compare runs, not single figures.
"""

import json
import time
from contextlib import contextmanager

from django.db import connection
from django.test import Client

PHASES = ("parse/validate", "execute", "serialize")


class Clock:
    def __init__(self):
        self.spent = dict.fromkeys((*PHASES, "sql"), 0.0)
        self.queries = 0
        self.missing = []

    def wrap(self, owner, name, phase):
        """Time every call of ``owner.name`` under ``phase``; undo with the returned callable."""
        original = getattr(owner, name, None)
        if original is None:
            self.missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
            return lambda: None

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[phase] += time.perf_counter() - start

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, original)

    def sql(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.spent["sql"] += time.perf_counter() - start
            self.queries += 1


@contextmanager
def hooks(clock, endpoint):
    if endpoint == "graphql":
        from cms.door import documents
        from cms.door import endpoint as view

        targets = [
            (documents, "checked_document", "parse/validate"),
            (view, "execute", "execute"),
            (view, "json_answer", "serialize"),
        ]
    else:  # graphene-django's own view, which serves stock grapple
        from graphene_django import views

        targets = [
            (views, "parse", "parse/validate"),
            (views, "validate", "parse/validate"),
            (views, "execute", "execute"),
            (views.GraphQLView, "json_encode", "serialize"),
        ]
    undo = [clock.wrap(owner, name, phase) for owner, name, phase in targets]
    try:
        with connection.execute_wrapper(clock.sql):
            yield
    finally:
        for step in reversed(undo):
            step()


def profile(paths, requests):
    """{name: {phase: ms per request, ...}} for each of ``paths`` ({name: (endpoint, path)})."""
    client = Client(HTTP_HOST="localhost")
    rows = {}
    for name, (endpoint, path) in paths.items():
        for _ in range(3):  # warm: renditions made, documents checked once, code paths loaded
            response = client.get(path)
            if response.status_code != 200 or b'"errors"' in response.content:
                raise SystemExit(f"profile {name}: {response.status_code} {response.content[:300]}")
        clock = Clock()
        total = 0.0
        with hooks(clock, endpoint):
            for _ in range(requests):
                start = time.perf_counter()
                client.get(path)
                total += time.perf_counter() - start
        row = {"total": total}
        row.update({phase: clock.spent[phase] for phase in PHASES})
        row["other"] = total - sum(clock.spent[phase] for phase in PHASES)
        row = {key: value * 1000 / requests for key, value in row.items()}
        row["sql ms"] = clock.spent["sql"] * 1000 / requests
        row["sql n"] = clock.queries / requests
        row["missing"] = clock.missing
        rows[name] = row
    return rows


def main(paths_json, requests):
    print(json.dumps(profile(json.loads(paths_json), requests)))
