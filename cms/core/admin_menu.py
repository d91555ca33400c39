"""Wagtail admin menu groups: one menu entry whose submenu holds a feature's viewsets."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup


def register_viewset_group(menu_label, menu_icon, *items):
    """Register ``items`` (viewset instances) under one admin menu entry; returns the group."""
    group = type(
        "ViewSetGroup", (ViewSetGroup,), {"menu_label": menu_label, "menu_icon": menu_icon}
    )
    group.items = items
    hooks.register("register_admin_viewset", group)
    return group
