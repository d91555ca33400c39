"""The reference front end renders the whole seed page from GraphQL, in a real browser."""

import pytest
from wagtail.models import Site

from articles.models import ArticlePage
from cms.demo.articles import SEED_SLUG
from cms.leads.models import Lead
from cms.publishing.models import FrontendSettings
from tests.support.chromium import ARTIFACTS, load_demo_site
from tests.support.seed_strings import SEED_STRINGS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEED_ARTICLE = "/articles/持续优化便民生活圈/"


@pytest.fixture
def demo(settings, tmp_path):
    load_demo_site(settings, tmp_path)


def open_page(page, url):
    page.goto(url)
    page.wait_for_selector("body[data-ready]")
    assert page.evaluate("document.body.dataset.ready") == "true", page.inner_text("main")


def test_seed_article_shows_every_string_of_the_seed(demo, frontend, page):
    open_page(page, frontend + SEED_ARTICLE)
    text = page.inner_text("body")
    # The page shows dates the way the seed does; the API's ISO form is not on screen.
    expected = [s for s in SEED_STRINGS if not s.startswith("2025-09-22T")] + [
        "2025-09-22 15:10:55",
        "诚信·乐观·创新·成功",
        "来源:新华网、商务部官网",
        "往期推荐",
    ]
    missing = [s for s in expected if s not in text]
    assert missing == []
    # Pictures are real renditions served by the CMS.
    images = page.eval_on_selector_all("main img", "els => els.map(e => e.naturalWidth)")
    assert images and all(width > 0 for width in images)
    assert page.get_attribute('link[type="application/json+oembed"]', "href").startswith(
        "http://localhost"
    )


def test_visitor_books_a_demo_from_the_reference_front_end(demo, frontend, page):
    open_page(page, frontend + SEED_ARTICLE)
    form = page.locator("#booking form")
    form.get_by_label("姓名").fill("王老师")
    form.get_by_label("手机号码").fill("12345")
    form.get_by_text("托育人才").click()
    form.get_by_role("button", name="提交预约").click()
    page.wait_for_selector('[data-error="mobile"]:not(:empty)')
    assert "手机号码" in page.inner_text('[data-error="mobile"]')
    assert "隐私政策" in page.inner_text('[data-error="consent"]')

    form.get_by_label("手机号码").fill("13900139000")
    form.get_by_label("我已阅读并同意隐私政策").check()
    form.get_by_role("button", name="提交预约").click()
    page.wait_for_selector(".status.success")
    lead = Lead.objects.get()
    assert (lead.name, lead.mobile, lead.interests) == ("王老师", "13900139000", ["托育人才"])
    assert lead.source_path == SEED_ARTICLE


def test_unknown_article_says_so(demo, frontend, page):
    open_page(page, frontend + "/articles/不存在/")
    assert "未找到文章" in page.inner_text("main")


def test_editor_previews_a_draft_in_the_reference_front_end(demo, frontend, page, rf):
    site = Site.objects.get(is_default_site=True)
    settings = FrontendSettings.for_site(site)
    settings.base_url = frontend
    settings.save()
    article = ArticlePage.objects.get(slug=SEED_SLUG)
    live_title = article.title
    draft = article.get_latest_revision_as_object()
    draft.title = "草稿:便民生活圈建设新进展"
    draft.save_revision()  # a new revision, not published
    # What the admin's Preview does (wagtail-headless-preview's serve_preview): store the
    # draft under a signed token and open the site's front-end preview URL with it.
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    preview = draft.create_page_preview()
    preview_url = draft.get_preview_url(rf.get("/admin/"), preview.token)
    assert preview_url.startswith(frontend + "/preview?")

    open_page(page, preview_url)
    assert page.inner_text("main h1") == "草稿:便民生活圈建设新进展"
    assert page.title() == "草稿:便民生活圈建设新进展"
    assert "往期推荐" in page.inner_text("main")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "test_editor_previews_a_draft_draft.png"), full_page=True)

    # Visitors still read the published title.
    open_page(page, frontend + SEED_ARTICLE)
    assert page.inner_text("main h1") == live_title

    value, _, signature = preview.token.rpartition(":")
    for token in (value + ":" + "A" * len(signature), "not-a-token", ""):
        open_page(page, f"{frontend}/preview?token={token}")
        main = page.inner_text("main")
        assert "未找到预览" in main
        assert "草稿" not in main
