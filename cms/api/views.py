from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from graphene_django.views import GraphQLView

from cms.api.response_cache import ResponseCacheMixin


# ResponseCacheMixin: persisted queries, the shared answer cache, ETag/304 (response_cache).
class CmsGraphQLView(ResponseCacheMixin, GraphQLView):
    """The one GraphQL endpoint. GraphiQL only where GRAPPLE['EXPOSE_GRAPHIQL'] (development)."""

    @classmethod
    def as_endpoint(cls):
        return cls.as_view(graphiql=settings.GRAPPLE.get("EXPOSE_GRAPHIQL", False))

    def dispatch(self, request, *args, **kwargs):
        try:
            # Read the body here, where its size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) can be
            # answered with 413 instead of Django's generic 400 page.
            request.body  # noqa: B018
        except RequestDataTooBig:
            return JsonResponse(
                {
                    "errors": [
                        {"message": "请求过大。", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
                    ]
                },
                status=413,
            )
        response = super().dispatch(request, *args, **kwargs)
        retry_after = getattr(request, "cms_retry_after", None)
        if retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(max(int(retry_after), 1))
        return response
