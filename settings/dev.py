from settings.base import *  # noqa: F403
from settings.base import GRAPPLE
from settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
GRAPPLE = {**GRAPPLE, "EXPOSE_GRAPHIQL": True}
CMS_SERVE_MEDIA = True
