"""An editor's day in Chromium: find the seed by a body word, preview a draft in the
front end, open a live page, read a lead and export the inbox, save the organisation
profile and a contact card, write an article with every body block and publish it, then
schedule its next revision (screenshots kept under test-artifacts/)."""

import csv
import datetime
import io
import json
import re
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.embeds.finders import get_finders

from articles.models import ArticleIndexPage, ArticlePage
from cms.api.blocks import StoryBlock
from cms.demo.articles import SEED_SLUG
from cms.leads.models import BookingFormPage, Lead
from home.models import CallToAction, ContactCard, OrganisationProfile
from tests.support.chromium import ARTIFACTS, load_demo_site
from tests.support.fakes import OEmbedProvider

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


# What the editor composes, one block of each type the body offers, in this order; the
# test fails if the body offers a block type this list does not name.
BLOCKS = ["heading", "paragraph", "image", "quote", "embed", "key_figures", "call_to_action"]
VIDEO = "https://v.example.com/open-day"
BODY_QUERY = """query($id: ID) { article(id: $id) { title body { field
    ... on HeadingBlock { text level }
    ... on ParagraphBlock { html }
    ... on FigureBlock { caption alt image { id } }
    ... on QuoteBlock { html speakerName speakerRole }
    ... on MediaEmbedBlock { url embedHtml title caption }
    ... on KeyFiguresBlock { heading figures { label value } }
    ... on CallToActionBlock { callToAction { heading } } } } }"""


@pytest.fixture
def video_site(settings):
    """Embeds of v.example.com come from a local oEmbed endpoint, framed from a player
    host editors may embed."""
    player = "https://player.bilibili.com/player.html"
    with OEmbedProvider(player, [r"^https://v\.example\.com/.+$"]) as provider:
        settings.WAGTAILEMBEDS_FINDERS = provider.finders
        get_finders.cache_clear()
        yield provider
    get_finders.cache_clear()


def anonymous_article(live_server, article_id) -> dict | None:
    """The article as an anonymous client reads it over GraphQL."""
    request = urllib.request.Request(
        live_server.url + "/graphql/",
        data=json.dumps({"query": BODY_QUERY, "variables": {"id": str(article_id)}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert "errors" not in answer, answer
    return answer["data"]["article"]


def add_block(page, label):
    """Adds a block at the end of the body through the block menu, as an editor does."""
    page.locator(
        "[data-contentpath=body] .c-sf-add-button:not([data-streamfield-list-add])"
    ).last.click()
    page.get_by_role("option", name=label, exact=True).click()


def type_rich_text(page, nth, text):
    editor = page.locator("[data-contentpath=body] .Draftail-Editor [contenteditable=true]").nth(
        nth
    )
    editor.click()
    page.keyboard.type(text)


def choose_in_modal(page, button, choice):
    """Opens a chooser from ``button`` and picks ``choice`` (a selector) in its dialog."""
    button.click()
    page.wait_for_selector(".modal " + choice)
    page.locator(".modal " + choice).first.click()
    page.wait_for_selector(".modal", state="hidden")


def publish(page):
    # The publish button sits in the footer's drop-down: post it as the admin does.
    with page.expect_navigation():
        page.locator("button[name='action-publish']").dispatch_event("click")
    page.wait_for_selector(".messages .success")


def test_an_article_with_every_block_is_published_then_its_next_revision_scheduled(
    editor, live_server, frontend, settings, video_site
):
    settings.CMS_FRONTEND_URL = frontend
    assert list(StoryBlock().child_blocks) == BLOCKS
    index = ArticleIndexPage.objects.get()
    call = CallToAction.objects.get(name="预约体验")
    editor.goto(f"{live_server.url}/admin/pages/add/articles/articlepage/{index.pk}/")
    editor.fill("#id_title", "托育机构开放日")
    editor.fill("#id_summary", "开放日邀请家长走进托育机构。")

    add_block(editor, "标题")
    editor.fill("#body-0-value-text", "开放日安排")
    editor.select_option("#body-0-value-level", "h3")
    add_block(editor, "段落")
    type_rich_text(editor, 0, "上午参观教室、下午座谈。")
    add_block(editor, "图片")
    choose_in_modal(
        editor,
        editor.locator("[data-contentpath=body] [data-chooser-action-choose]").last,
        "a[data-chooser-modal-choice]",
    )
    editor.fill("#body-2-value-caption", "孩子们的教室")
    add_block(editor, "引语或讲话")
    type_rich_text(editor, 1, "欢迎家长常来看看。")
    editor.fill("#body-3-value-speaker_name", "王园长")
    add_block(editor, "嵌入内容")
    editor.fill("#body-4-value-embed", VIDEO)
    add_block(editor, "关键数据")
    editor.fill("#body-5-value-heading", "开放日数据")
    if not editor.locator("#body-5-value-figures-0-value-label").count():
        editor.locator("[data-contentpath=body] [data-streamfield-list-add]").last.click()
    editor.fill("#body-5-value-figures-0-value-label", "参与家庭")
    editor.fill("#body-5-value-figures-0-value-value", "120户")
    add_block(editor, "行动号召")
    choose_in_modal(
        editor,
        editor.locator("[data-contentpath=body] [data-chooser-action-choose]").last,
        f"a:text-is('{call.name}')",
    )
    shot(editor, "article-every-block")

    editor.locator("footer button.action-save").first.click()
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    editor.wait_for_selector(".messages .success")
    shot(editor, "article-draft-saved")
    article = ArticlePage.objects.get(title="托育机构开放日")
    assert not article.live and anonymous_article(live_server, article.pk) is None

    publish(editor)
    shot(editor, "article-published")
    served = anonymous_article(live_server, article.pk)
    assert [block["field"] for block in served["body"]] == BLOCKS
    heading, paragraph, figure, quote, embed, figures, cta = served["body"]
    assert (heading["text"], heading["level"]) == ("开放日安排", "h3")
    assert "上午参观教室、下午座谈。" in paragraph["html"]
    assert figure["image"] is not None and figure["caption"] == "孩子们的教室"
    assert "欢迎家长常来看看。" in quote["html"] and quote["speakerName"] == "王园长"
    assert embed["url"] == VIDEO and embed["title"] == "托育机构开放日"
    assert 'src="https://player.bilibili.com/player.html' in embed["embedHtml"]
    assert set(video_site.asked) == {VIDEO}
    assert figures == {
        "field": "key_figures",
        "heading": "开放日数据",
        "figures": [{"label": "参与家庭", "value": "120户"}],
    }
    assert cta["callToAction"] == {"heading": call.heading}

    # The next revision, scheduled for a Beijing morning: not served before it goes live.
    editor.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    editor.fill("#id_title", "托育机构开放日·更新")
    editor.click("[data-side-panel-toggle='status']")
    editor.click("[data-side-panel='status'] [data-a11y-dialog-show='schedule-publishing-dialog']")
    editor.wait_for_selector("#schedule-publishing-dialog:not([aria-hidden=true])")
    go_live = datetime.datetime(timezone.now().year + 2, 6, 1, 9, 0)
    editor.fill("#id_go_live_at", go_live.strftime("%Y-%m-%d %H:%M"))
    shot(editor, "article-schedule-dialog")
    # The date picker's calendar stays open over the dialog's button: post as the admin does.
    with editor.expect_navigation():
        editor.locator("#schedule-publishing-dialog button.action-save").dispatch_event("click")
    editor.wait_for_selector(".messages .success")
    shot(editor, "article-schedule-saved")
    publish(editor)
    # Back in the explorer: the article is live, its next version scheduled.
    row = editor.locator("main tr", has_text="托育机构开放日")
    shot(editor, "article-scheduled")
    assert "在用 + 已计划" in row.inner_text()
    article.refresh_from_db()
    scheduled = article.scheduled_revision
    assert scheduled is not None
    assert scheduled.approved_go_live_at == go_live.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    assert anonymous_article(live_server, article.pk)["title"] == "托育机构开放日"

    row.locator("[data-w-dropdown-target='toggle']").click()
    with editor.expect_navigation():
        editor.get_by_role("link", name="实时查看").click()
    editor.wait_for_selector("body[data-ready]")
    shot(editor, "article-view-live")
    assert editor.url.startswith(frontend)
    text = editor.inner_text("body")
    assert "托育机构开放日" in text and "托育机构开放日·更新" not in text
