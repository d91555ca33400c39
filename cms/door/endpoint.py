"""The one GraphQL endpoint.

It runs the ``GraphQLRequest`` the door read (``cms.door.graphql_request``), nothing else:
persisted queries resolved and registered only once they passed, the document checked
cheapest first (``documents``), the operation chosen, then executed. Status codes follow
GraphQL over HTTP: with ``application/graphql-response+json`` a request that fails before
execution is a 400; with ``application/json`` (or no Accept) GraphQL errors come with 200,
so clients such as Apollo show them as GraphQL errors with their codes. Server failures are
masked (``errors``); an unreachable database answers 503 with Retry-After. GraphiQL only
where GRAPPLE['EXPOSE_GRAPHIQL'] (development).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView
from graphql import ExecutionResult, OperationType, execute, get_operation_ast

from cms.api.cache_invalidation import is_never_cached
from cms.api.errors import STATUS_BY_CODE
from cms.core.request_state import state_of
from cms.door import documents, graphql_errors, graphql_request, persisted_queries, response_cache
from cms.door.answers import error_answer, json_answer, refusal, request_id
from cms.door.graphql_request import ALLOW, GraphQLRequest, RequestRefused


def introspection_allowed(request) -> bool:
    policy = settings.CMS_API_INTROSPECTION
    if policy == "always":
        return True
    if policy == "token":
        return state_of(request).api_token is not None
    return False


def _request_error_status(gql: GraphQLRequest) -> int:
    """A GraphQL request error's status: the spec's watershed between the media types."""
    return 200 if gql.legacy else 400


class CmsGraphQLView(GraphQLView):
    @classmethod
    def as_endpoint(cls):
        return cls.as_view(graphiql=settings.GRAPPLE.get("EXPOSE_GRAPHIQL", False))

    def dispatch(self, request, *args, **kwargs):
        if self.graphiql and graphql_request.wants_graphiql(request):
            return super().dispatch(request, *args, **kwargs)
        try:
            gql = graphql_request.of(request)
        except RequestRefused as refused:
            return refusal(request, refused)
        return response_cache.serve(request, gql, lambda: self._answer(request, gql))

    def _answer(self, request, gql: GraphQLRequest):
        """The answer, and whether it may be kept."""
        try:
            query = persisted_queries.resolve(gql.query, gql.persisted_hash)
        except persisted_queries.PersistedQueryError as error:
            status = _request_error_status(gql) if error.request_error else 200
            return error_answer(request, error.message, error.code, status, gql.media_type), False
        schema = self.schema.graphql_schema
        try:
            document = documents.checked_document(
                schema,
                query,
                gql.variables,
                introspection=introspection_allowed(request),
                max_errors=graphene_settings.MAX_VALIDATION_ERRORS,
            )
        except documents.InvalidDocument as invalid:
            return self._result(request, gql, ExecutionResult(None, invalid.errors)), False
        operation = get_operation_ast(document, gql.operation_name)
        if operation is None:
            return self._no_operation(request, gql), False
        if operation.operation != OperationType.QUERY and gql.method == "GET":
            return error_answer(
                request,
                gettext("GET requests can only run queries; send mutations with POST."),
                "METHOD_NOT_ALLOWED",
                405,
                gql.media_type,
                Allow=ALLOW,
            ), False
        if gql.persisted_hash is not None and gql.query is not None:
            persisted_queries.register(query, gql.persisted_hash)
        result = self._execute(request, gql, document, operation)
        response = self._result(request, gql, result)
        keepable = (
            operation.operation == OperationType.QUERY
            and not result.errors
            and response.status_code == 200
            and not is_never_cached(request)
        )
        return response, keepable

    @staticmethod
    def _no_operation(request, gql: GraphQLRequest):
        if gql.operation_name:
            message = gettext("The document has no operation named “{name}”.").format(
                name=gql.operation_name
            )
        else:
            message = gettext(
                "The document has several operations: name the one to run in operationName."
            )
        return error_answer(
            request, message, "BAD_REQUEST", _request_error_status(gql), gql.media_type
        )

    def _execute(self, request, gql: GraphQLRequest, document, operation):
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": gql.variables,
            "operation_name": gql.operation_name,
            "middleware": self.get_middleware(request),
        }
        if self.execution_context_class:
            options["execution_context_class"] = self.execution_context_class
        schema = self.schema.graphql_schema
        try:
            if operation.operation == OperationType.MUTATION:
                with transaction.atomic():
                    return execute(schema, document, **options)
            return execute(schema, document, **options)
        except Exception as error:  # A failure outside any resolver: still an answer.
            return ExecutionResult(data=None, errors=[error])

    def _result(self, request, gql: GraphQLRequest, result: ExecutionResult):
        rid = request_id(request)
        found = result.errors or []
        # A request error (nothing executed: parse, validation, limits, variables) has no
        # data entry, as the specification says.
        request_error = result.data is None and all(
            graphql_errors.is_client_error(e) and not e.path for e in found
        )
        body = {}
        if found:
            body["errors"] = [graphql_errors.format_error(e, rid) for e in found]
        if not (found and request_error):
            body["data"] = result.data
        status, headers = self._status(request, gql, found, request_error, result.data)
        response = json_answer(body, status, gql.media_type)
        for name, value in headers.items():
            response[name] = value
        return response

    @staticmethod
    def _status(request, gql, found, request_error, data) -> tuple[int, dict]:
        if any(graphql_errors.is_database_unavailable(e) for e in found):
            return 503, {"Retry-After": str(settings.CMS_API_RETRY_AFTER)}
        retry_after = state_of(request).retry_after
        if retry_after is not None:  # a resolver throttled the client (the booking form)
            return 429, {"Retry-After": str(max(int(retry_after), 1))}
        if any(not graphql_errors.is_client_error(e) for e in found):
            return (500 if data is None else 200), {}
        for error in found:
            code = (error.extensions or {}).get("code")
            if code in STATUS_BY_CODE:
                return STATUS_BY_CODE[code], {}
        if found and request_error:
            return _request_error_status(gql), {}
        return 200, {}
