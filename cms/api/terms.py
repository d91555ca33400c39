"""The shape of a term editors keep in a hand-ordered list: a category, a service area."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLString
from wagtail.search import index


class OrderedTerm(index.Indexed, models.Model):
    """Name, slug and description; listed by ``sort_order`` (each model places that field
    among its own, which sets the order grapple lists the fields in, and the admin form its
    fields in: a snippet without ``panels`` gets one field panel each, in field order), then
    name."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("slug", required=True),
        GraphQLString("description", required=True),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name
