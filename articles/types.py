"""GraphQL types of the article's relations that are not models of their own."""

import graphene

from cms.api.model_fields import registered_type


class Tag(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)


class RecommendedReadingItem(graphene.ObjectType):
    """往期推荐 entry. ``article`` is set only for a live, public article of this CMS."""

    title = graphene.String(required=True)
    url = graphene.String(required=True)
    is_external = graphene.Boolean(required=True)
    article = graphene.Field(registered_type("articles.ArticlePage"))

    @classmethod
    def internal(cls, item, request):
        article = item.article
        return cls(
            title=item.title or article.title,
            url=article.get_url(request) or "",
            is_external=False,
            article=article,
        )

    @classmethod
    def external(cls, item):
        return cls(title=item.title, url=item.external_url, is_external=True, article=None)
