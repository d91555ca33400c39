"""The root collection and the root page keep Wagtail's English names ("Root") from its
own migrations; editors see them in the collection filters, choosers and the explorer."""

from django.db import migrations

ROOT_NAME = "根目录"


def chinese_root_names(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Page = apps.get_model("wagtailcore", "Page")
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_NAME)
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_NAME, draft_title=ROOT_NAME)


def english_root_names(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Page = apps.get_model("wagtailcore", "Page")
    Collection.objects.filter(depth=1, name=ROOT_NAME).update(name="Root")
    Page.objects.filter(depth=1, title=ROOT_NAME).update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_customimage_verbose_names"),
        ("wagtailcore", "0025_collection_initial_data"),
    ]

    operations = [migrations.RunPython(chinese_root_names, english_root_names)]
