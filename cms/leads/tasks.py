"""Telling staff about a new lead, after the lead is safely stored.

Runs on the durable backend (the db_worker process), so a slow or failing mail server
never blocks or loses a submission. A failed send is tried again later, with growing
delays (LEADS_NOTIFY_RETRY_DELAYS); the task is idempotent (a notified lead is skipped),
and a mail that may already have reached staff says so in its subject.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from cms.leads.cleaning import single_line

logger = logging.getLogger(__name__)

# Failures after which no mail can have left: no connection, or the server refused it
# before the message. Any other (a timeout mid-DATA) may have delivered it.
_NOT_SENT = (
    ConnectionRefusedError,
    smtplib.SMTPConnectError,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
)


def _message(lead, repeat: bool = False) -> tuple[str, str]:
    from django.urls import reverse

    interests = "、".join(lead.interests) or "—"
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("leads_lead:edit", args=[lead.pk])
    # The name is cleaned when submitted; cleaned again here because a header with CR/LF
    # fails every send (BadHeaderError), and leads stored before that rule may hold one.
    subject = single_line(f"新的预约演示:{lead.name or lead.mobile}")
    if repeat:
        subject = f"【可能重复】{subject}"
    body = "\n".join(
        [
            f"姓名:{lead.name}",
            f"手机:{lead.mobile}",
            f"机构:{lead.organisation}",
            f"城市:{lead.city}",
            f"感兴趣的服务:{interests}",
            f"留言:{lead.message}",
            f"来源:{lead.source_path or '—'} {lead.partner}".rstrip(),
            f"提交时间:{timezone.localtime(lead.submit_time):%Y-%m-%d %H:%M}",
            "",
            f"跟进:{link}",
        ]
    )
    if repeat:
        body += (
            "\n\n此邮件可能重复:上一次发送已开始,但未确认完成(邮件服务器未应答,或发送进程中断)。"
        )
    return subject, body


class NotificationFailed(Exception):
    pass


@task(backend="durable")
def notify_staff(lead_id: int, attempt: int = 1) -> str:
    from cms.leads.models import Lead

    lead = Lead.objects.select_related("page").filter(pk=lead_id).first()
    if lead is None or lead.notified_at is not None:
        return "skipped"
    recipients = lead.page.specific.notify_addresses() or settings.LEADS_NOTIFY_EMAILS
    if not recipients:
        return "no recipients"
    # Recorded (and committed) before the send: a worker killed mid-send leaves it set,
    # and the next attempt, run by another worker (cms.publishing.recovery), says the staff
    # may have this mail already. At least once, a repeat marked as one.
    repeat = lead.notify_sending_since is not None
    Lead.objects.filter(pk=lead_id).update(
        notify_sending_since=timezone.now(), notify_attempts=attempt
    )
    subject, body = _message(lead, repeat=repeat)
    try:
        send_mail(subject, body, None, recipients)
    except (smtplib.SMTPException, OSError) as error:
        if isinstance(error, _NOT_SENT):
            Lead.objects.filter(pk=lead_id).update(notify_sending_since=None)
        delays = settings.LEADS_NOTIFY_RETRY_DELAYS
        if attempt > len(delays):
            logger.error("Giving up notifying staff of lead %s: %s", lead_id, error)
            # A failed task, not a quiet return: the admin's task list shows it to staff.
            raise NotificationFailed(
                f"线索 {lead_id} 的员工通知邮件发送 {attempt} 次均失败,已放弃:{error}"
            ) from error
        run_after = timezone.now() + datetime.timedelta(seconds=delays[attempt - 1])
        notify_staff.using(run_after=run_after).enqueue(lead_id, attempt + 1)
        logger.warning("Mail for lead %s failed (%s); retrying at %s", lead_id, error, run_after)
        return "retry"
    Lead.objects.filter(pk=lead_id).update(notified_at=timezone.now(), notify_sending_since=None)
    return "repeat sent" if repeat else "sent"
