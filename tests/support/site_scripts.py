"""Scripts for ``manage.py shell -c`` that give a server process of a test its content."""

# The default site answering on 127.0.0.1 (port 80: the Host header of a plain client), and
# one published article in its index.
ONE_ARTICLE = """
from wagtail.models import Page, Site
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.factories import HomePageFactory
home = HomePageFactory(parent=Page.get_first_root_node(), slug="childcare")
Site.objects.filter(is_default_site=True).update(root_page=home, hostname="127.0.0.1", port=80)
index = ArticleIndexPageFactory(parent=home)
ArticlePageFactory(parent=index, title="文章", slug="article")
"""
