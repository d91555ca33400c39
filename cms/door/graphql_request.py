"""One HTTP request to /graphql/, read once into one immutable GraphQL request.

As the GraphQL-over-HTTP specification says: a GET's parameters come from its URL only
(its body and Content-Type are never looked at; Apollo sends ``application/json`` on
GET), a POST's from its JSON body only (its URL is ignored: reading both let a body key
the answer cache while the URL's query ran). Anything else is refused here, with the
status and message the client gets. The answer cache's key, the limits, the executor and
the logs all read the ``GraphQLRequest`` this makes; nothing reads ``request.GET`` or
``request.body`` again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext

from cms.core.request_state import state_of
from cms.door.headers import weighted

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
ALLOW = "GET, POST"

# JSON's "\ud800" decodes to a lone surrogate, which nothing after the door can encode
# (hashes, cache keys, the database); NUL no database text column stores.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class RequestRefused(Exception):
    """The HTTP request is not a GraphQL request this endpoint runs."""

    def __init__(self, message: str, status: int = 400, code: str = "BAD_REQUEST", **headers):
        super().__init__(message)
        self.message, self.status, self.code, self.headers = message, status, code, headers
        self.media_type = JSON


@dataclass(frozen=True)
class GraphQLRequest:
    method: str
    query: str | None
    variables: dict = field(hash=False)
    operation_name: str | None
    extensions: dict = field(hash=False)
    persisted_hash: str | None  # Apollo's persistedQuery.sha256Hash, lower case
    media_type: str  # of the answer: application/json or application/graphql-response+json
    variables_key: str  # the variables as canonical JSON, for the answer cache's key

    @property
    def legacy(self) -> bool:
        """Answered as application/json: GraphQL errors come with 200 (the spec's watershed)."""
        return self.media_type == JSON


def of(request) -> GraphQLRequest:
    """This request's GraphQL request, read once; RequestRefused when it is none."""
    state = state_of(request)
    if state.graphql is None:
        try:
            state.graphql = _read(request)
        except RequestRefused as refused:
            state.graphql = refused
    found = state.graphql
    if isinstance(found, RequestRefused):
        raise found
    return found


def _read(request) -> GraphQLRequest:
    media_type = answer_media_type(request.headers.get("Accept"))
    try:
        if request.method == "GET":
            params = _from_url(request)
        elif request.method == "POST":
            params = _from_body(request)
        else:
            raise RequestRefused(
                gettext("{method} requests are not supported: use GET or POST.").format(
                    method=request.method
                ),
                405,
                "METHOD_NOT_ALLOWED",
                Allow=ALLOW,
            )
        if media_type is None:
            raise RequestRefused(
                gettext("Cannot answer in a type Accept lists: accept {graphql} or {json}.").format(
                    graphql=GRAPHQL_RESPONSE_JSON, json=JSON
                ),
                406,
                "NOT_ACCEPTABLE",
            )
        return _checked(request.method, params, media_type)
    except RequestRefused as refused:
        refused.media_type = media_type or JSON
        raise


def answer_media_type(accept: str | None) -> str | None:
    """The answer's media type for this Accept header; None when it accepts neither.

    No Accept (or */*) means application/json, as the specification says for legacy
    clients; of two equally preferred types graphql-response+json wins.
    """
    if not accept or not accept.strip():
        return JSON
    best, best_q = None, 0.0
    for name, q in weighted(accept):
        if name == GRAPHQL_RESPONSE_JSON:
            candidate = GRAPHQL_RESPONSE_JSON
        elif name in (JSON, "application/*", "*/*"):
            candidate = JSON
        else:
            continue
        if q > best_q or (q == best_q and q > 0 and candidate == GRAPHQL_RESPONSE_JSON):
            best, best_q = candidate, q
    return best


def _no_constant(name: str):
    """NaN and Infinity are not JSON: Python's json reads them, the spec's does not."""
    raise ValueError(f"{name} is not JSON")


def _json(text: str):
    return json.loads(text, parse_constant=_no_constant)


def _from_url(request) -> dict:
    params = {}
    for name in ("query", "operationName"):
        value = request.GET.get(name)
        params[name] = value if value else None
    for name in ("variables", "extensions"):
        raw = request.GET.get(name)
        if raw:
            try:
                params[name] = _json(raw)
            except RecursionError:
                raise RequestRefused(
                    gettext("{name} is nested too deeply.").format(name=name)
                ) from None
            except ValueError:
                raise RequestRefused(
                    gettext("{name} is not valid JSON.").format(name=name)
                ) from None
        else:
            params[name] = None
    return params


def _from_body(request) -> dict:
    content_type = request.content_type or ""
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if content_type != JSON or charset not in ("utf-8", "utf8"):
        raise RequestRefused(
            gettext("POST requests must be sent with Content-Type: application/json (UTF-8)."),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise RequestRefused(
            gettext("The request is too large."), 413, "PAYLOAD_TOO_LARGE"
        ) from None
    if not body.strip():
        raise RequestRefused(gettext("The request body is empty: send a JSON object with a query."))
    try:
        data = _json(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RequestRefused(
            gettext("The request body cannot be read: send JSON encoded as UTF-8.")
        ) from None
    except RecursionError:
        raise RequestRefused(gettext("The request body's JSON is nested too deeply.")) from None
    except ValueError:
        raise RequestRefused(gettext("The request body is not a valid JSON object.")) from None
    if isinstance(data, list):
        raise RequestRefused(
            gettext("Batched requests are not supported: send one query per request.")
        )
    if not isinstance(data, dict):
        raise RequestRefused(gettext("The request body is not a valid JSON object."))
    return {name: data.get(name) for name in ("query", "operationName", "variables", "extensions")}


def _checked(method: str, params: dict, media_type: str) -> GraphQLRequest:
    query, operation_name = params["query"], params["operationName"]
    variables, extensions = params["variables"], params["extensions"]
    if query is not None and not isinstance(query, str):
        raise RequestRefused(gettext("query must be a string."))
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestRefused(gettext("operationName must be a string."))
    for name, value in (("variables", variables), ("extensions", extensions)):
        if value is not None and not isinstance(value, dict):
            raise RequestRefused(gettext("{name} must be a JSON object.").format(name=name))
        if _too_deep(value, settings.CMS_API_MAX_VARIABLES_DEPTH):
            raise RequestRefused(
                gettext("{name} is nested too deeply (at most {limit} levels).").format(
                    name=name, limit=settings.CMS_API_MAX_VARIABLES_DEPTH
                )
            )
    # Variables are checked where they become arguments (cms.api.arguments), whose
    # BAD_USER_INPUT names the argument: clearer to a client than a name of the door's.
    for name, value in (("query", query), ("operationName", operation_name)):
        if _has_unstorable(value):
            raise RequestRefused(
                gettext(
                    "{name} contains characters that cannot be processed (NUL or a lone surrogate)."
                ).format(name=name)
            )
    if _has_unstorable(extensions):
        raise RequestRefused(
            gettext(
                "{name} contains characters that cannot be processed (NUL or a lone surrogate)."
            ).format(name="extensions")
        )
    persisted_hash = _persisted_hash(extensions)
    if not query and persisted_hash is None:
        raise RequestRefused(gettext("Send a query."))
    variables = variables or {}
    return GraphQLRequest(
        method=method,
        query=query or None,
        variables=variables,
        operation_name=operation_name or None,
        extensions=extensions or {},
        persisted_hash=persisted_hash,
        media_type=media_type,
        variables_key=json.dumps(variables, sort_keys=True, separators=(",", ":")),
    )


def _too_deep(value, limit: int) -> bool:
    """Nested deeper than ``limit`` (looked at without recursion, which deep JSON breaks)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _has_unstorable(value) -> bool:
    """A string in ``value`` (keys too, at any depth) holds NUL or a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _persisted_hash(extensions) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    # 1.0 and true equal 1 in Python; Apollo sends the integer.
    version = persisted.get("version") if isinstance(persisted, dict) else None
    if type(version) is not int or version != 1:
        raise RequestRefused(gettext("Unsupported persistedQuery version."))
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or len(sha) != 64 or not _is_hex(sha):
        raise RequestRefused(gettext("sha256Hash must be a string of 64 hexadecimal digits."))
    return sha.lower()


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return True


def wants_graphiql(request) -> bool:
    """A browser opening /graphql/ in development, for GraphiQL's page."""
    return (
        settings.GRAPPLE.get("EXPOSE_GRAPHIQL", False)
        and request.method == "GET"
        and "text/html" in request.headers.get("Accept", "")
        and "query" not in request.GET
        and "extensions" not in request.GET
    )
