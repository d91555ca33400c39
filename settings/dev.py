from settings.base import *  # noqa: F403
from settings.base import GRAPPLE
from settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
GRAPPLE = {**GRAPPLE, "EXPOSE_GRAPHIQL": True}
CMS_SERVE_MEDIA = True
# Development: the schema is explorable and errors show their text.
CMS_API_INTROSPECTION = "always"
CMS_API_SUGGESTIONS = True
CMS_API_MASK_ERRORS = False
