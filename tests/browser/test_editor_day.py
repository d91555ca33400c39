"""An editor's day in Chromium: find the seed by a body word, preview a draft in the
front end, open a live page, read a lead and export the inbox, save the organisation
profile and a contact card (screenshots kept under test-artifacts/)."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import ArticlePage
from cms.demo.articles import SEED_SLUG
from cms.leads.models import BookingFormPage, Lead
from home.models import ContactCard, OrganisationProfile
from tests.support.chromium import ARTIFACTS, load_demo_site

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-Editor-Day-1"


@pytest.fixture
def demo(settings, tmp_path):
    load_demo_site(settings, tmp_path)
    get_user_model().objects.create_superuser("editor", "e@example.cn", PASSWORD)


@pytest.fixture
def editor(demo, page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"editor-day-{name}.png"), full_page=True)


def test_explorer_search_finds_the_seed_by_a_body_word(editor, live_server):
    seed = ArticlePage.objects.get(slug=SEED_SLUG)
    editor.goto(live_server.url + "/admin/pages/search/?q=杜希学")
    editor.wait_for_selector("main")
    shot(editor, "search-杜希学")
    assert seed.title in editor.inner_text("main")


def test_preview_shows_the_draft_in_the_front_end(editor, live_server, frontend, settings):
    settings.CMS_FRONTEND_URL = frontend
    seed = ArticlePage.objects.get(slug=SEED_SLUG)
    editor.goto(f"{live_server.url}/admin/pages/{seed.pk}/edit/")
    editor.fill("#id_title", "草稿里的新标题")
    editor.click("[data-side-panel-toggle='preview']")
    # The preview panel frames the CMS's preview view, which frames the front end.
    editor.wait_for_timeout(5000)
    shot(editor, "preview")
    texts = [f.evaluate("document.body ? document.body.innerText : ''") for f in editor.frames]
    assert any("草稿里的新标题" in text for text in texts), texts


def test_view_live_opens_the_front_end(editor, live_server, frontend, settings):
    settings.CMS_FRONTEND_URL = frontend
    seed = ArticlePage.objects.get(slug=SEED_SLUG)
    editor.goto(live_server.url + seed.get_url())
    editor.wait_for_selector("body[data-ready]")
    shot(editor, "live")
    assert editor.url.startswith(frontend)
    assert seed.title in editor.inner_text("body")


def test_a_lead_reads_whole_and_exports_for_excel(editor, live_server, frontend):
    lead = Lead.objects.create(
        page=BookingFormPage.objects.first(),
        form_data={},
        name="王五",
        mobile="13900139000",
        organisation="阳光托育",
        interests=["智慧托育", "托育人才"],
        message="想了解方案",
        consent_version="1",
        consented_at=timezone.now(),
    )
    editor.goto(f"{live_server.url}/admin/leads/edit/{lead.pk}/")
    details = editor.inner_text(".lead-details")
    shot(editor, "lead")
    assert "智慧托育、托育人才" in details and "想了解方案" in details and "None" not in details
    for export in ("csv", "xlsx"):
        with editor.expect_download() as download:
            editor.evaluate(
                "url => { const a = document.createElement('a'); a.href = url; "
                "a.download = ''; document.body.appendChild(a); a.click(); }",
                f"{live_server.url}/admin/leads/?export={export}",
            )
        data = Path(download.value.path()).read_bytes()
        if export == "csv":
            assert data.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            record = dict(zip(rows[0], rows[1], strict=True))
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(data)).active
            header, row = [[cell.value for cell in r] for r in sheet.iter_rows()][:2]
            record = dict(zip(header, row, strict=True))
        assert record["状态"] == "新线索"
        assert record["感兴趣的服务"] == "智慧托育、托育人才"
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", str(record["提交时间"]))


def test_organisation_profile_saves_from_settings(editor, live_server):
    # The settings index sends the editor on to the default site's profile.
    editor.goto(live_server.url + "/admin/settings/home/organisationprofile/")
    assert "机构简介" in editor.inner_text("header")
    editor.fill("#id_slogan", "尚自然 展个性 开心智 乐成长")
    editor.click("footer button[type=submit]")
    editor.wait_for_selector(".messages .success")
    shot(editor, "organisation-profile")
    assert "机构简介" in editor.inner_text(".messages")
    assert OrganisationProfile.objects.get().slogan == "尚自然 展个性 开心智 乐成长"


def test_contact_card_saves_from_snippets(editor, live_server):
    card = ContactCard.objects.get(name="客服")
    editor.goto(live_server.url + "/admin/snippets/home/contactcard/")
    editor.click(f"main a[href$='/edit/{card.pk}/']")
    editor.wait_for_selector("#id_wechat_caption")
    editor.fill("#id_wechat_caption", "扫码添加托育顾问")
    editor.fill("#id_intro", "工作日 9:00-18:00 在线")
    editor.click("button.action-save")
    editor.wait_for_selector(".messages .success")
    shot(editor, "contact-card")
    card.refresh_from_db()
    assert (card.wechat_caption, card.intro) == ("扫码添加托育顾问", "工作日 9:00-18:00 在线")
    # Saving the form keeps the chosen QR code and the phone lines.
    assert card.wechat_qr_code is not None and card.phone_lines.exists()
