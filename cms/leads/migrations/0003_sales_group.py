from django.db import migrations

SALES_PERMISSIONS = [
    ("leads", "lead", "view_lead"),
    ("leads", "lead", "change_lead"),
    ("leads", "lead", "delete_lead"),
    ("leads", "lead", "export_lead"),
    ("wagtailadmin", "admin", "access_admin"),
]


def create_sales_group(apps, schema_editor):
    """The 'sales' group: the only non-superusers who see leads."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="sales")
    for app_label, model, codename in SALES_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0002_leads"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_sales_group, migrations.RunPython.noop)]
