"""What a test counts of the SQL a request ran."""


def data_queries(queries) -> list[str]:
    """The queries that read data: without the per-request statement timeout (PostgreSQL)."""
    return [q["sql"] for q in queries if "statement_timeout" not in q["sql"]]
