from home.models.pages import FeaturedArticle, HomePage
from home.models.site_settings import OrganisationProfile, SiteLayout
from home.models.snippets import CallToAction, ContactCard, PhoneLine, ServiceArea

__all__ = [
    "CallToAction",
    "ContactCard",
    "FeaturedArticle",
    "HomePage",
    "OrganisationProfile",
    "PhoneLine",
    "ServiceArea",
    "SiteLayout",
]
