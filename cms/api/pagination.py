"""One way to page through a list: the check of its ``page``/``perPage`` arguments and the
fields of one page of results, for the article list and search alike."""

import graphene
from django.conf import settings
from django.utils.translation import gettext

from cms.api.errors import bad_input


def checked_window(page: int | None, per_page: int | None) -> tuple[int, int]:
    """(page, per_page) to serve: an explicit null means the default, as leaving the
    argument out does (found by fuzzing); out-of-range values are refused."""
    page = 1 if page is None else page
    per_page = 10 if per_page is None else per_page
    max_page_size = settings.GRAPPLE["MAX_PAGE_SIZE"]
    if not 1 <= per_page <= max_page_size:
        raise bad_input(
            gettext("{name} must be between 1 and {limit}.").format(
                name="perPage", limit=max_page_size
            ),
            "perPage",
        )
    if page < 1:
        raise bad_input(gettext("page must be 1 or more."), "page")
    return page, per_page


def page_of(name: str, item_type, **more_fields) -> type[graphene.ObjectType]:
    """The GraphQL type of one page of ``item_type`` results, with ``more_fields`` after."""
    fields = {
        "items": graphene.List(graphene.NonNull(item_type), required=True),
        "total_count": graphene.Int(required=True),
        "page": graphene.Int(required=True),
        "per_page": graphene.Int(required=True),
        "total_pages": graphene.Int(required=True),
        "has_next_page": graphene.Boolean(required=True),
    }
    for field_name, field in more_fields.items():
        field.reset_counter()  # graphene orders fields by creation: these come after
        fields[field_name] = field
    return type(name, (graphene.ObjectType,), fields)
