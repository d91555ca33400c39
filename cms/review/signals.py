"""The 三审 on new article indexes, override logs of new pages, who scheduled a publish."""

from django.apps import apps as django_apps
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page, PageLogEntry, WorkflowPage

from cms.review.workflow import default_workflow, grant_review_permissions, is_default_page_type


@receiver(post_save)
def attach_default_workflow(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    override = instance.__dict__.pop("_screening_override", None)
    if override is not None:
        from cms.review.page_form import log_override

        log_override(instance, *override)
    if not created or not is_default_page_type(sender):
        return
    workflow = default_workflow()
    if workflow is not None:
        # Wagtail's own default workflow sits on the root; the index gets the 三审 itself.
        _, attached = WorkflowPage.objects.get_or_create(
            page=instance, defaults={"workflow": workflow}
        )
        if attached:
            grant_review_permissions(django_apps, instance.pk)


@receiver(post_save, sender=PageLogEntry)
def name_who_scheduled(sender, instance, created, raw=False, **kwargs):
    """The scheduler publishes as nobody; the entry names who scheduled the revision."""
    if raw or not created or instance.action != "wagtail.publish.scheduled" or instance.user_id:
        return
    scheduled = (
        PageLogEntry.objects.filter(
            page_id=instance.page_id,
            revision_id=instance.revision_id,
            action="wagtail.publish.schedule",
        )
        .exclude(user_id=None)
        .order_by("-timestamp")
        .first()
    )
    if scheduled is None:
        return
    data = {**(instance.data or {}), "scheduled_by": scheduled.user_id}
    PageLogEntry.objects.filter(pk=instance.pk).update(user_id=scheduled.user_id, data=data)
