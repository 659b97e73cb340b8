"""Signed tokens for links in mail: verifying an address and one-click unsubscribing.

Both are ``django.core.signing`` timestamped signatures (HMAC with SECRET_KEY and a salt
of their own), so a token proves which member and which address or kind of mail it was
made for, and when; nothing is stored. A forged, altered or expired token is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

VERIFY_SALT = "asrhub.digests.verify"
UNSUBSCRIBE_SALT = "asrhub.digests.unsubscribe"
UNSUBSCRIBE_KINDS = ("digest", "reminders")


class BadToken(Exception):
    """The token is forged, altered, expired or names something that no longer holds."""


def make_verify_token(user_id: int, email: str) -> str:
    return signing.dumps({"u": user_id, "e": email.lower()}, salt=VERIFY_SALT, compress=True)


def read_verify_token(token: str) -> tuple[int, str]:
    max_age = dt.timedelta(hours=settings.ASRHUB_VERIFY_MAX_AGE_HOURS)
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=max_age)
        return int(data["u"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadToken from None


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str


def make_unsubscribe_token(user_id: int, kind: str) -> str:
    assert kind in UNSUBSCRIBE_KINDS
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> Unsubscribe:
    max_age = dt.timedelta(days=settings.ASRHUB_UNSUBSCRIBE_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
        kind = str(data["k"])
        if kind not in UNSUBSCRIBE_KINDS:
            raise BadToken
        return Unsubscribe(int(data["u"]), kind)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadToken from None
