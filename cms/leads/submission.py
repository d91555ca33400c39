"""The one way a booking is submitted: checks, de-duplication, storage, notification.

Order matters: cheap refusals first (rate limit, shape), bots dropped silently, then
validation, then de-duplication, then one atomic write. Staff are told only after the
lead is committed, by the durable worker.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext

from cms.leads import submission_limits
from cms.leads.cleaning import single_line
from cms.leads.form_tokens import TokenState, check_form_token
from cms.leads.models import BookingFormPage, Lead
from cms.leads.tasks import notify_staff


@dataclass
class Outcome:
    ok: bool
    errors: list[tuple[str, str]] = field(default_factory=list)
    lead: Lead | None = None

    @classmethod
    def refused(cls, field_name: str, message: str) -> "Outcome":
        return cls(ok=False, errors=[(field_name, message)])


@dataclass
class Submission:
    page: BookingFormPage
    site: object
    values: object
    consent: bool
    form_token: str | None
    idempotency_key: str | None = None
    honeypot: str | None = None
    source_path: str = ""
    partner: str = ""


def _as_form_data(values) -> MultiValueDict | str:
    """Client values as form data, or an error message when their shape is wrong."""
    if not isinstance(values, dict):
        return gettext("values must be an object keyed by field name.")
    data = MultiValueDict()
    for name, value in values.items():
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            data.setlist(str(name), value)
        elif isinstance(value, str | int | float | bool) and not isinstance(value, bool):
            data[str(name)] = str(value)
        elif isinstance(value, bool):
            data[str(name)] = "on" if value else ""
        elif value is None:
            continue
        else:
            return gettext("The value of the field “{name}” is not in the right form.").format(
                name=name
            )
    return data


def _fingerprint(page_id: int, cleaned: dict) -> str:
    payload = json.dumps(
        [page_id, sorted(cleaned.items(), key=str)], default=str, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _interest_names(form, slugs) -> list[str]:
    names = dict(form.fields["interests"].choices) if "interests" in form.fields else {}
    return [names.get(slug, slug) for slug in slugs]


def _window_start():
    return timezone.now() - datetime.timedelta(seconds=settings.LEADS_DUPLICATE_WINDOW)


def _existing(page: BookingFormPage, key: str | None, fingerprint: str) -> Lead | None:
    if key:
        lead = Lead.objects.filter(page=page, idempotency_key=key).first()
        if lead is not None:
            return lead
    return Lead.objects.filter(
        page=page, fingerprint=fingerprint, submit_time__gte=_window_start()
    ).first()


def _store(lead: Lead) -> None:
    """Save a new lead; IntegrityError when an identical one got in first.

    At most one lead per page holds a given fingerprint (a unique constraint), so
    identical submissions racing each other store one lead on any database. A holder
    older than the duplicate window gives its fingerprint up in the same transaction:
    the same content later on is a new lead, as before.
    """
    with transaction.atomic():
        Lead.objects.filter(
            page=lead.page, fingerprint=lead.fingerprint, submit_time__lt=_window_start()
        ).update(fingerprint=None)
        lead.save()
        # In the same transaction: the lead and its notification task are stored together
        # or not at all, so no crash between the two can lose the notification.
        notify_staff.enqueue(lead.pk)


def submit(submission: Submission, request) -> Outcome:
    submission_limits.limit("ip", submission_limits.client_key(request))
    page = submission.page

    if submission.honeypot:
        return Outcome(ok=True)  # a bot filled the hidden field: drop it, say nothing
    token_state = check_form_token(submission.form_token, page.pk)
    if token_state in (TokenState.FORGED, TokenState.TOO_FAST):
        return Outcome(ok=True)
    if token_state == TokenState.EXPIRED:
        return Outcome.refused(
            "formToken", gettext("The form has expired: reload the page and send it again.")
        )

    key = (submission.idempotency_key or "").strip() or None
    if key is not None and len(key) > 64:
        return Outcome.refused(
            "idempotencyKey", gettext("idempotencyKey cannot be longer than 64 characters.")
        )

    data = _as_form_data(submission.values)
    if isinstance(data, str):
        return Outcome.refused("values", data)
    form = page.get_form(data, page=page, user=None)
    known = set(form.fields)
    errors = [(name, gettext("The form has no such field.")) for name in data if name not in known]
    if not form.is_valid():
        errors += [(name, str(messages[0])) for name, messages in form.errors.items()]
    if not submission.consent:
        errors.append(("consent", gettext("Read and accept the privacy policy before sending.")))
    if errors:
        return Outcome(ok=False, errors=errors)

    cleaned = form.cleaned_data
    fingerprint = _fingerprint(page.pk, cleaned)
    existing = _existing(page, key, fingerprint)
    if existing is not None:
        return Outcome(ok=True, lead=existing)

    mobile = cleaned.get("mobile", "")  # ASCII digits only (cms/leads/cleaning.py)
    if mobile:
        submission_limits.limit("mobile", mobile)

    lead = Lead(
        page=page,
        form_data=json.loads(json.dumps(cleaned, default=str)),
        site=submission.site,
        name=cleaned.get("name", ""),
        mobile=mobile,
        organisation=cleaned.get("organisation", ""),
        city=cleaned.get("city", ""),
        interests=_interest_names(form, cleaned.get("interests", [])),
        message=cleaned.get("message", ""),
        consent_version=page.privacy_notice_version,
        consented_at=timezone.now(),
        source_path=single_line(submission.source_path)[:255],
        partner=single_line(submission.partner)[:100],
        idempotency_key=key,
        fingerprint=fingerprint,
    )
    try:
        _store(lead)
    except IntegrityError:
        # The same key or content raced in from a retry: answer with the stored lead.
        existing = _existing(page, key, fingerprint)
        if existing is None:
            raise
        return Outcome(ok=True, lead=existing)
    return Outcome(ok=True, lead=lead)
