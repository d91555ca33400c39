"""The one GraphQL endpoint.

graphene-django's view parses any document and validates with whatever rules it is
given. This one parses with a token cap, validates with the specification's rules
plus the limits in ``limits`` (introspection only where ``CMS_API_INTROSPECTION``
allows), refuses batches and malformed parameters with HTTP 400, masks server-side
errors (``errors``) and answers 503 with Retry-After when the database is unreachable.
GraphiQL only where GRAPPLE['EXPOSE_GRAPHIQL'] (development).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    OperationType,
    execute,
    get_operation_ast,
)

from cms.api import documents, errors, limits
from cms.api.middleware import request_id
from cms.api.response_cache import ResponseCacheMixin


def introspection_allowed(request) -> bool:
    policy = settings.CMS_API_INTROSPECTION
    if policy == "always":
        return True
    if policy == "token":
        return getattr(request, "api_token", None) is not None
    return False


def _bad_request(message: str) -> HttpError:
    return HttpError(HttpResponseBadRequest(), message)


# ResponseCacheMixin comes first: persisted queries, the shared answer cache and ETag/304
# wrap everything below, which runs only when the answer is not already kept.
class CmsGraphQLView(ResponseCacheMixin, GraphQLView):
    @classmethod
    def as_endpoint(cls):
        return cls.as_view(graphiql=settings.GRAPPLE.get("EXPOSE_GRAPHIQL", False))

    def dispatch(self, request, *args, **kwargs):
        try:
            # Read the body first, so that its size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) is
            # answered with 413 rather than Django's generic 400 page.
            request.body  # noqa: B018
        except RequestDataTooBig:
            error = {"message": "请求过大。", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
            return JsonResponse({"errors": [error]}, status=413)
        self.unavailable = False
        response = super().dispatch(request, *args, **kwargs)
        if self.unavailable:
            response["Retry-After"] = str(settings.CMS_API_RETRY_AFTER)
        # A resolver that throttled the client (the booking form's limits) left the wait here.
        retry_after = getattr(request, "cms_retry_after", None)
        if retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(max(int(retry_after), 1))
        return response

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except (UnicodeDecodeError, MultiPartParserError) as error:
            raise _bad_request("无法解析请求体:请以 UTF-8 编码的 JSON 发送。") from error
        except HttpError as error:
            if request.body.lstrip().startswith(b"["):
                raise _bad_request("不支持批量请求:每次请求只能包含一个查询。") from error
            raise _bad_request("请求体不是有效的 JSON 对象。") from error

    @staticmethod
    def get_graphql_params(request, data):
        query, variables, operation_name, id = GraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            raise _bad_request("query 必须是字符串。")
        if variables is not None and not isinstance(variables, dict):
            raise _bad_request("variables 必须是 JSON 对象。")
        if operation_name is not None and not isinstance(operation_name, str):
            raise _bad_request("operationName 必须是字符串。")
        return query, variables, operation_name, id

    def format_error(self, error):
        if isinstance(error, HttpError):
            return {
                "message": error.message or "请求无效。",
                "extensions": {"code": "BAD_REQUEST", "requestId": request_id(self.request)},
            }
        return errors.format_error(error, request_id(self.request))

    def get_response(self, request, data, show_graphiql=False):
        result, status_code = super().get_response(request, data, show_graphiql)
        outcome = getattr(self, "outcome", None)
        if outcome is not None and outcome.errors:
            if any(errors.is_database_unavailable(e) for e in outcome.errors):
                self.unavailable = True
                return result, 503
            if any(not errors.is_client_error(e) for e in outcome.errors):
                return result, status_code
            for error in outcome.errors:
                code = (error.extensions or {}).get("code")
                if code in errors.STATUS_BY_CODE:
                    return result, errors.STATUS_BY_CODE[code]
        return result, status_code

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        self.outcome = self._execute(request, query, variables, operation_name, show_graphiql)
        return self.outcome

    def _execute(self, request, query, variables, operation_name, show_graphiql):
        if not query:
            if show_graphiql:
                return None
            raise _bad_request("请提供 query。")
        schema = self.schema.graphql_schema
        try:
            document, facts = documents.checked_document(
                schema, query, graphene_settings.MAX_VALIDATION_ERRORS
            )
        except documents.InvalidDocument as invalid:
            return ExecutionResult(data=None, errors=invalid.errors)

        operation_ast = get_operation_ast(document, operation_name)
        is_query = operation_ast is None or operation_ast.operation == OperationType.QUERY
        if not is_query and request.method.lower() == "get":
            raise _bad_request("GET 请求只能执行查询(query)。")
        # Read by ResponseCacheMixin: only the answers to queries may be kept.
        self.ran_query = operation_ast is not None and is_query

        validation_errors = limits.check(
            schema, document, facts, variables, introspection=introspection_allowed(request)
        )
        if validation_errors:
            return ExecutionResult(data=None, errors=validation_errors)

        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        if self.execution_context_class:
            options["execution_context_class"] = self.execution_context_class
        try:
            if operation_ast is not None and operation_ast.operation == OperationType.MUTATION:
                with transaction.atomic():
                    return execute(schema, document, **options)
            return execute(schema, document, **options)
        except Exception as error:  # A failure outside any resolver: still an answer.
            return ExecutionResult(data=None, errors=[error])
