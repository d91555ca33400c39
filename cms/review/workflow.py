"""The 三审 workflow: three Wagtail group-approval tasks, each with its own group.

``ensure_review_workflow`` takes an app registry (a migration's historical one, or the
project's), finds everything by name and creates only what is missing, so running it twice,
or after an administrator edited the workflow, changes nothing already there.
"""

WORKFLOW_NAME = "三审"
# (task, its reviewers' group), in review order.
STEPS = [
    ("编辑初审", "编辑初审组"),
    ("部门复审", "部门复审组"),
    ("总编终审", "总编终审组"),
]
DEFAULT_PAGE_TYPES = [("articles", "articleindexpage")]


def ensure_review_workflow(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    # Historical models lack Task.save(), which records the specific type Wagtail reads back.
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (task_name, group_name) in enumerate(STEPS):
        group, _ = Group.objects.get_or_create(name=group_name)
        if access_admin is not None:
            group.permissions.add(access_admin)
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(
                name=task_name, active=True, content_type_id=task_type.pk
            )
            task.groups.add(group)
        if not WorkflowTask.objects.filter(workflow=workflow, task_id=task.pk).exists():
            WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=order)
    attach_to_default_pages(apps, workflow)
    return workflow


def attach_to_default_pages(apps, workflow):
    """The workflow on every page of the default types that has none of its own yet."""
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model in DEFAULT_PAGE_TYPES:
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        pages = Page.objects.filter(content_type=content_type).exclude(
            pk__in=WorkflowPage.objects.values("page_id")
        )
        for page_id in list(pages.values_list("pk", flat=True)):
            WorkflowPage.objects.create(page_id=page_id, workflow=workflow)
            grant_review_permissions(apps, page_id)


# Reviewers edit while they review; Wagtail publishes the last approval as its approver,
# so the last step's group needs "publish" there (Publish itself stays hidden from it
# unless a direct-publishing rule allows it).
STEP_PAGE_PERMISSIONS = [("change_page",), ("change_page",), ("change_page", "publish_page")]


def grant_review_permissions(apps, page_id):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for (_, group_name), codenames in zip(STEPS, STEP_PAGE_PERMISSIONS, strict=True):
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=page_id, permission=permission
            )


def default_workflow():
    from wagtail.models import Workflow

    return Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()


def is_default_page_type(model) -> bool:
    return (model._meta.app_label, model._meta.model_name) in DEFAULT_PAGE_TYPES
