"""Building the mails members receive: multipart text + HTML, with RFC 8058 headers."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from digests.models import MailSettings
from digests.render import digest_html, digest_text
from digests.tokens import make_unsubscribe_token, make_verify_token


class UnverifiedAddress(Exception):
    """Only password resets and the verification mail itself go to an unverified address."""


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_url(user_id: int, kind: str) -> str:
    token = make_unsubscribe_token(user_id, kind)
    return settings.SITE_URL + reverse("digests:unsubscribe", args=[token])


def member_mail(
    prefs: MailSettings,
    *,
    kind: str,
    subject: str,
    template: str,
    context: dict,
    render: Callable[[dict], tuple[str, str]] | None = None,
) -> EmailMultiAlternatives:
    """A mail of ``kind`` ("digest" or "reminders") to a member's verified address.

    Every such mail carries a visible unsubscribe link and the RFC 8058 one-click
    headers; the token in both needs no session. Raises ``UnverifiedAddress`` when the
    member's current address is not the one they verified. The text and HTML parts
    come from the templates ``digests/email/<template>.txt`` and ``.html``, or from
    ``render(context)`` when given.
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
    if render is None:
        text = render_to_string(f"digests/email/{template}.txt", context)
        html = render_to_string(f"digests/email/{template}.html", context)
    else:
        text, html = render(context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
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
    message.attach_alternative(html, "text/html")
    return message


def account_notice(
    user, *, subject: str, template: str, context: dict, id_kind: str
) -> EmailMultiAlternatives:
    """A plain-text notice about the account itself, not a subscription: no unsubscribe
    headers, and it may go to an address that is not verified (yet)."""
    return EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"digests/email/{template}.txt", {**context, "member": user}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "Message-ID": make_msgid(id_kind, domain=site_domain()),
            "Auto-Submitted": "auto-generated",
        },
    )


def verification_mail(user) -> EmailMultiAlternatives:
    """The one mail that goes to an address before it is verified: the link proving it."""
    token = make_verify_token(user.pk, user.email)
    return account_notice(
        user,
        subject="Confirm your e-mail address for ASR Hub",
        template="verify",
        context={
            "verify_url": settings.SITE_URL + reverse("digests:verify", args=[token]),
            "hours": settings.ASRHUB_VERIFY_MAX_AGE_HOURS,
            "site_url": settings.SITE_URL,
        },
        id_kind="verify",
    )


def address_taken_mail(owner, *, change: bool = False) -> EmailMultiAlternatives:
    """To the owner of a verified address someone else signed up (or changed an account)
    with: a notice instead of a verification link; that account can never verify it."""
    return account_notice(
        owner,
        subject="Someone tried to use your e-mail address at ASR Hub",
        template="address_taken",
        context={
            "change": change,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        },
        id_kind="notice",
    )


def render_digest(context: dict) -> tuple[str, str]:
    """The digest's text and HTML parts (see ``digests.render``); the footers, small and
    shared with the reminders, stay templates."""
    args = {
        "frequency": context["prefs"].frequency,
        "site_url": context["site_url"],
    }
    text = digest_text(
        context["content"],
        footer=render_to_string("digests/email/_footer.txt", context),
        **args,
    )
    html = digest_html(
        context["content"],
        footer=render_to_string("digests/email/_footer.html", context),
        **args,
    )
    return text, html
