"""Building the mails members receive: multipart text + HTML, with RFC 8058 headers."""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from digests.models import MailSettings
from digests.tokens import make_unsubscribe_token, make_verify_token


class UnverifiedAddress(Exception):
    """Only password resets and the verification mail itself go to an unverified address."""


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_url(user_id: int, kind: str) -> str:
    token = make_unsubscribe_token(user_id, kind)
    return settings.SITE_URL + reverse("digests:unsubscribe", args=[token])


def member_mail(
    prefs: MailSettings, *, kind: str, subject: str, template: str, context: dict
) -> EmailMultiAlternatives:
    """A mail of ``kind`` ("digest" or "reminders") to a member's verified address.

    Every such mail carries a visible unsubscribe link and the RFC 8058 one-click
    headers; the token in both needs no session. Raises ``UnverifiedAddress`` when the
    member's current address is not the one they verified.
    """
    if not prefs.is_verified:
        raise UnverifiedAddress(prefs.user_id)
    user = prefs.user
    unsubscribe = unsubscribe_url(user.pk, kind)
    context = {
        **context,
        "member": user,
        "site_url": settings.SITE_URL,
        "settings_url": settings.SITE_URL + reverse("digests:settings"),
        "unsubscribe_url": unsubscribe,
        "kind": kind,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"digests/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "Message-ID": make_msgid(kind, domain=site_domain()),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"ASR Hub {kind} <{kind}.{site_domain()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    html = render_to_string(f"digests/email/{template}.html", context)
    message.attach_alternative(html, "text/html")
    return message


def verification_mail(user) -> EmailMultiAlternatives:
    """The one mail that goes to an address before it is verified: the link proving it."""
    token = make_verify_token(user.pk, user.email)
    context = {
        "member": user,
        "verify_url": settings.SITE_URL + reverse("digests:verify", args=[token]),
        "hours": settings.ASRHUB_VERIFY_MAX_AGE_HOURS,
        "site_url": settings.SITE_URL,
    }
    return EmailMultiAlternatives(
        subject="Confirm your e-mail address for ASR Hub",
        body=render_to_string("digests/email/verify.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "Message-ID": make_msgid("verify", domain=site_domain()),
            "Auto-Submitted": "auto-generated",
        },
    )
