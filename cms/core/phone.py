"""Chinese phone numbers: mainland mobiles, landlines with an area code, 400/800 lines.

Numbers are stored as typed (editors write them the way readers expect to see them,
e.g. 400-609-2598); validation looks at the digits only.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-()()]")
# 1 + a second digit 3-9 + nine more: the mainland mobile ranges.
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area code 010-0999 (0 + 2 or 3 digits) then a 7- or 8-digit number, optional extension.
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}(?:(?:转|ext\.?|#)\d{1,6})?$")
SERVICE = re.compile(r"^[48]00\d{7}$")


def digits(value: str) -> str:
    return _SEPARATORS.sub("", (value or "").strip()).removeprefix("+86")


def is_mobile(value: str) -> bool:
    return bool(MOBILE.match(digits(value)))


def validate_mobile_number(value: str) -> None:
    if not is_mobile(value):
        raise ValidationError(
            _("Enter a valid mainland mobile number: 11 digits starting with 1."),
            code="invalid_mobile",
        )


def validate_phone_number(value: str) -> None:
    number = digits(value)
    if not (MOBILE.match(number) or LANDLINE.match(number) or SERVICE.match(number)):
        raise ValidationError(
            _(
                "Enter a valid phone number: a mobile number (11 digits), a landline with "
                "its area code (e.g. 010-12345678) or a 400/800 number (e.g. 400-609-2598)."
            ),
            code="invalid_phone",
        )


def tel_uri(value: str) -> str:
    """A tel: link target for the number (extension dropped)."""
    number = re.split(r"转|ext\.?|#", digits(value))[0]
    return f"tel:{number}"
