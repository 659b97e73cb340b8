"""Verifying addresses, and the settings row every member gets on first use."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from digests.messages import address_taken_mail, verification_mail
from digests.models import MailSettings
from digests.tokens import BadToken, read_verify_token

logger = logging.getLogger(__name__)


def settings_for(user) -> MailSettings:
    prefs, _ = MailSettings.objects.get_or_create(user=user)
    prefs.user = user  # the caller's instance, fresh e-mail included
    return prefs


def send_verification(user, now: dt.datetime | None = None) -> bool:
    """Mail ``user`` a link proving their current address; False when rate-limited
    (one mail per ASRHUB_VERIFY_RESEND_SECONDS) or when there is nothing to verify.

    When another account has verified the address, its owner gets a notice (rate-limited
    too) instead, and this account can never verify it."""
    now = now or timezone.now()
    if not user.email:
        return False
    owner = address_owner(user.email, other_than=user)
    if owner is not None:  # never a link for an address another account proved first
        return send_address_taken(owner, change=True)
    wait = dt.timedelta(seconds=settings.ASRHUB_VERIFY_RESEND_SECONDS)
    with transaction.atomic():
        prefs = MailSettings.objects.select_for_update().filter(user=user).first()
        if prefs is None:
            prefs = MailSettings.objects.create(user=user)
        prefs.user = user
        if prefs.is_verified:
            return False
        if prefs.verification_sent_at and now - prefs.verification_sent_at < wait:
            return False
        previous = prefs.verification_sent_at
        prefs.verification_sent_at = now
        prefs.save(update_fields=["verification_sent_at"])
    try:
        verification_mail(user).send()
    except (smtplib.SMTPException, OSError):
        # Sign-up and settings must not fail with the mail relay; the member can resend.
        logger.exception("Could not send the verification mail to user %s", user.pk)
        MailSettings.objects.filter(pk=prefs.pk).update(verification_sent_at=previous)
        return False
    return True


def address_owner(email: str, *, other_than=None) -> User | None:
    """The active account whose verified address is ``email`` (any case), if any."""
    owners = (
        MailSettings.objects.verified()
        .alias(_claimed=Lower("verified_email"))
        .filter(_claimed=(email or "").strip().lower())
        .select_related("user")
    )
    if other_than is not None:
        owners = owners.exclude(pk=other_than.pk)
    prefs = owners.first()
    return prefs.user if prefs else None


def send_address_taken(owner, *, change: bool = False) -> bool:
    """Tell ``owner`` that someone tried to use their verified address. At most one such
    notice per ASRHUB_VERIFY_RESEND_SECONDS, so the form cannot be used to flood them."""
    if not cache.add(f"asrhub:address-taken:{owner.pk}", 1, settings.ASRHUB_VERIFY_RESEND_SECONDS):
        return False
    try:
        address_taken_mail(owner, change=change).send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the address-taken notice to user %s", owner.pk)
        cache.delete(f"asrhub:address-taken:{owner.pk}")
        return False
    return True


def verify(token: str, now: dt.datetime | None = None) -> MailSettings:
    """Mark the address in ``token`` verified, if it is still the member's address.
    Raises ``BadToken`` otherwise. Verifying again changes nothing."""
    now = now or timezone.now()
    user_id, email = read_verify_token(token)

    with transaction.atomic():
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or (user.email or "").lower() != email:
            raise BadToken
        if address_owner(email, other_than=user) is not None:
            raise BadToken  # another account proved this address first
        prefs = settings_for(user)
        if not prefs.is_verified:
            prefs.verified_email = user.email
            prefs.verified_at = now
            prefs.reschedule(now)
            prefs.save()
    return prefs
