"""Create the database DATABASE_URL names when it does not exist yet (PostgreSQL).

`make run` with ``DATABASE_URL=postgres://…/cms`` on a server where ``cms`` was never
created would otherwise stop at the first migration. The server's maintenance database
(``postgres``, else ``template1``) is where CREATE DATABASE is issued; SQLite needs only
its folder.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Create the default database if it does not exist (PostgreSQL), or its folder (SQLite)."

    def handle(self, *args, **options):
        connection = connections["default"]
        if connection.vendor == "sqlite":
            name = str(connection.settings_dict["NAME"])
            if name != ":memory:" and not name.startswith("file:"):
                Path(name).parent.mkdir(parents=True, exist_ok=True)
            return
        if connection.vendor != "postgresql":
            return
        import psycopg
        from psycopg import sql

        name = connection.settings_dict["NAME"]
        params = connection.get_connection_params()
        last_error = None
        for maintenance in ("postgres", "template1"):
            try:
                with psycopg.connect(**{**params, "dbname": maintenance}, autocommit=True) as db:
                    exists = db.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                    ).fetchone()
                    if exists:
                        return
                    db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(self.style.SUCCESS(f"Created the database {name!r}."))
                    return
            except psycopg.OperationalError as error:
                last_error = error
        raise CommandError(f"Cannot reach PostgreSQL to create the database {name!r}: {last_error}")
