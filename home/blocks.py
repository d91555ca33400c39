"""Menu blocks: a link to a page of this CMS or to a URL, nested one level."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class MenuLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label=_("Label"), max_length=50, required=False, help_text=_("Defaults to the page title.")
    )
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("URL"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or enter a URL, not both."))}
            )
        if value.get("url") and not value.get("label"):
            raise StructBlockValidationError(
                block_errors={"label": ValidationError(_("A link to a URL needs a label."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Link")


class MenuItemBlock(MenuLinkBlock):
    children = blocks.ListBlock(MenuLinkBlock(), label=_("Sub-menu"), default=[])

    class Meta:
        icon = "list-ul"
        label = _("Menu item")


class MenuBlock(blocks.StreamBlock):
    item = MenuItemBlock()
