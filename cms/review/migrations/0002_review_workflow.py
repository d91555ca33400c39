from django.db import migrations

from cms.review.workflow import ensure_review_workflow


def forwards(apps, schema_editor):
    ensure_review_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("articles", "0001_initial"),
    ]

    # Nothing to undo: the groups and the workflow may hold reviewers and history by then.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
