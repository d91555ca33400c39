"""Answers of /graphql/: UTF-8 JSON in the negotiated media type, errors with the request id.

Chinese text goes out as UTF-8, not ``\\uXXXX`` escapes (a third of the bytes).
"""

from __future__ import annotations

import json
import re
import uuid

from django.http import HttpResponse

from cms.api.errors import error_body
from cms.core.request_state import state_of
from cms.door.graphql_request import JSON, RequestRefused

_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id(request) -> str:
    state = state_of(request)
    if state.request_id is None:
        sent = request.headers.get("X-Request-ID", "")
        state.request_id = sent if _CLIENT_REQUEST_ID.match(sent) else uuid.uuid4().hex
    return state.request_id


def encode(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"


def json_answer(body: dict | bytes, status: int = 200, media_type: str = JSON) -> HttpResponse:
    content = body if isinstance(body, bytes) else encode(body)
    return HttpResponse(content, status=status, content_type=content_type(media_type))


def error_answer(
    request, message: str, code: str, status: int, media_type: str = JSON, **headers
) -> HttpResponse:
    response = json_answer(error_body(message, code, request_id(request)), status, media_type)
    for name, value in headers.items():
        response[name] = value
    return response


def refusal(request, refused: RequestRefused) -> HttpResponse:
    return error_answer(
        request,
        refused.message,
        refused.code,
        refused.status,
        refused.media_type,
        **refused.headers,
    )
