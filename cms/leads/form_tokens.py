"""The form token: a signed note of when a visitor was shown the form.

A submission sent sooner than LEADS_MIN_FILL_SECONDS after the form was shown is a bot:
it is accepted silently and dropped, so the bot learns nothing.
"""

import time

from django.conf import settings
from django.core import signing

_SALT = "cms.leads.form-token"


class TokenState:
    VALID = "valid"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    FORGED = "forged"


def issue_form_token(page_id: int) -> str:
    return signing.dumps({"page": page_id, "at": time.time()}, salt=_SALT, compress=True)


def check_form_token(token: str | None, page_id: int) -> str:
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=settings.LEADS_FORM_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return TokenState.EXPIRED
    except signing.BadSignature:
        return TokenState.FORGED
    if not isinstance(data, dict) or data.get("page") != page_id:
        return TokenState.FORGED
    if time.time() - float(data.get("at", 0)) < settings.LEADS_MIN_FILL_SECONDS:
        return TokenState.TOO_FAST
    return TokenState.VALID
