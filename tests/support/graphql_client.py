"""GraphQL as a front end asks it: JSON posted to /graphql/, through Django's test client."""

import json

from django.test import Client


class GraphQLClient:
    def __init__(self, client: Client):
        self.client = client

    def post(self, query: str, variables: dict | None = None, **headers):
        return self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )

    def __call__(self, query: str, variables: dict | None = None) -> dict:
        """The answer's data; fails the test if the answer carries errors."""
        response = self.post(query, variables)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query: str, variables: dict | None = None) -> list[dict]:
        """The answer's errors, each checked to carry the answer's request id (then dropped)."""
        response = self.post(query, variables)
        body = response.json()
        assert body.get("errors"), body
        for error in body["errors"]:
            assert error["extensions"].pop("requestId") == response["X-Request-ID"], error
        return body["errors"]
