"""The admin speaks Chinese: every Wagtail string translated, no word in the wrong sense,
and zh-hans whatever language the editor's browser asks for.

Wagtail's zh_Hans catalogues lack strings Wagtail 8 uses; locale/wagtail/ supplies them.
The catalogue tests read Wagtail's English catalogues (every msgid it has) and ask Django's
translation machinery for each under zh-hans, so a Wagtail upgrade that adds strings fails
here with the list to translate. The browser check (tests/browser/test_zz_admin_chinese.py)
looks at the rendered pages.
"""

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.views.i18n import JavaScriptCatalog

REPO = Path(__file__).resolve().parents[2]

# Translations that are rightly the English text: names and a bare format.
SAME_IN_CHINESE = {
    "Wagtail API v2",
    "Wagtail API v3",
    "%(range_start)s - %(range_end)s",
    "%(related_model_name)s %(field_label)s",
    "URL",
    "API",
    "Embed URL",
    "HTML",
    "ID",
    "Email",
}


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (msgctxt, msgid, msgid_plural, msgstr...), header dropped."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            if entry:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith('"'):
            entry[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        entry[key] = ast.literal_eval(value)
    if entry:
        entries.append(entry)
    return [entry for entry in entries if entry.get("msgid")]


def wagtail_catalogues(language: str, domain: str) -> list[Path]:
    """The catalogues of the installed Wagtail apps (not of every app Wagtail ships)."""
    paths = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] != "wagtail":
            continue
        po = Path(config.path) / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
        if po.exists():
            paths.append(po)
    return paths


def translated(entry: dict, lookup) -> bool:
    msgid, plural = entry["msgid"], entry.get("msgid_plural")
    english = plural or msgid
    return lookup(entry.get("msgctxt"), msgid, plural) != english or english in SAME_IN_CHINESE


def django_lookup(context, msgid, plural):
    if plural:
        if context:
            return translation.npgettext(context, msgid, plural, 2)
        return translation.ngettext(msgid, plural, 2)
    return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def test_every_wagtail_string_has_a_chinese_translation():
    entries = [entry for po in wagtail_catalogues("en", "django") for entry in read_po(po)]
    assert len(entries) > 1500, "Wagtail's English catalogues not found"
    with translation.override("zh-hans"):
        missing = sorted(
            {entry["msgid"] for entry in entries if not translated(entry, django_lookup)}
        )
    assert not missing, f"{len(missing)} Wagtail strings untranslated (locale/wagtail/): {missing}"


def test_every_wagtail_javascript_string_has_a_chinese_translation(rf):
    entries = [entry for po in wagtail_catalogues("en", "djangojs") for entry in read_po(po)]
    assert entries, "Wagtail's English JavaScript catalogue not found"
    with translation.override("zh-hans"):
        view = JavaScriptCatalog.as_view(packages=["wagtail.admin"])
        catalog = view(rf.get("/")).content.decode()
    # The catalogue is a JavaScript object literal of JSON strings.
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", catalog, re.S).group(1))

    def lookup(context, msgid, plural):
        key = f"{context}\x04{msgid}" if context else msgid
        found = catalog.get(key)
        if found is None:
            return plural or msgid
        return found[0] if isinstance(found, list) else found

    missing = sorted({entry["msgid"] for entry in entries if not translated(entry, lookup)})
    assert not missing, f"{len(missing)} Wagtail JavaScript strings untranslated: {missing}"


# Our msgids that Wagtail or Django translate too, reviewed to mean the same thing there,
# so our wording may replace theirs everywhere in the admin.
SAME_MEANING = {"slug", "URL", "Text", "Caption", "Alt text", "Embed", "active", "image", "images"}


def test_our_catalogues_do_not_change_the_sense_of_wagtail_words():
    """A msgid without context in our catalogues wins over Wagtail's everywhere in the
    admin ("New" as a lead status made every new page "新线索: 文章"): one English word in
    two senses takes a message context (pgettext) in our code."""
    upstream = {}
    site_packages = Path(apps.get_app_config("wagtailcore").path).parent
    for po in [
        *site_packages.glob("wagtail/**/locale/zh_Hans/LC_MESSAGES/*.po"),
        *site_packages.glob("django/**/locale/zh_Hans/LC_MESSAGES/*.po"),
    ]:
        for entry in read_po(po):
            if "msgctxt" not in entry and entry.get("msgstr"):
                upstream.setdefault(entry["msgid"], set()).add(entry["msgstr"])
    ours = [REPO / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"]
    ours += sorted(REPO.glob("*/*/locale/zh_Hans/LC_MESSAGES/django.po"))
    ours += sorted(REPO.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
    clashes = []
    for po in ours:
        for entry in read_po(po):
            msgid, msgstr = entry["msgid"], entry.get("msgstr")
            if "msgctxt" in entry or msgid in SAME_MEANING or msgid not in upstream:
                continue
            if msgstr and msgstr not in upstream[msgid]:
                clashes.append((str(po.relative_to(REPO)), msgid, msgstr, upstream[msgid]))
    assert not clashes, clashes


def test_wrong_context_words_are_gone():
    with translation.override("zh-hans"):
        assert (
            translation.gettext("New: %(model_name)s") % {"model_name": "文章"} == "新建\uff1a文章"
        )
        assert translation.gettext("New") != "新线索"
        assert translation.pgettext("lead status", "New") == "新线索"
        assert translation.pgettext("core value", "Value") == "价值观"
        assert translation.pgettext("key figure", "Value") == "数值"
        from cms.core.models import CustomImage

        assert str(CustomImage._meta.verbose_name_plural) == "图片"


def test_locale_paths_put_the_project_before_its_wagtail_supplement():
    assert settings.LOCALE_PATHS == [REPO / "locale", REPO / "locale" / "wagtail"]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_mo_files_match_their_po_files(domain):
    """Django reads the .mo files; a .po edited without `make messages` changes nothing."""
    po = REPO / "locale" / "wagtail" / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    for entry in read_po(po):
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            assert compiled.get((key, 0)) == entry["msgstr[0]"], entry
        else:
            assert compiled.get(key) == entry["msgstr"], entry


ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-editor-1")


def test_login_is_chinese_for_a_browser_that_asks_for_english(db):
    response = Client().get("/admin/login/", **ENGLISH_BROWSER)
    body = response.content.decode()
    assert response.status_code == 200
    # Wagtail's password field has no label of its own (Django's "Password", untranslated).
    assert re.search(r'<label[^>]*for="id_password"[^>]*>\s*密码<', body)
    assert 'lang="zh-hans"' in body
    assert "Accept-Language" not in response.get("Vary", "")


def test_dashboard_is_chinese_for_an_editor_whose_browser_asks_for_english(editor):
    client = Client()
    client.force_login(editor)
    body = client.get("/admin/", **ENGLISH_BROWSER).content.decode()
    assert "搜索所有页面" in body and "Search all pages" not in body
    catalogue = client.get("/admin/jsi18n/", **ENGLISH_BROWSER).content.decode()
    assert "\\u63d2\\u5165\\u5757" in catalogue  # 插入块, "Insert a block"


def test_an_editor_who_chose_english_gets_english(editor):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client = Client()
    client.force_login(editor)
    body = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Search all pages" in body and "搜索所有页面" not in body
    catalogue = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "\\u63d2\\u5165\\u5757" not in catalogue
