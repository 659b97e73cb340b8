"""Throttles kept in the cache: failed sign-ins per username, password-reset mails.

django-axes locks a client address after repeated failures (settings.AXES_*). Guessing
one member's password from many addresses is slowed here instead: past
``ASRHUB_USERNAME_FAILURES`` failures in the window, that username gets one try per
``ASRHUB_USERNAME_INTERVAL`` seconds from anywhere, except from a browser the member
signed in with before (it carries a signed cookie naming them), so the owner is never
locked out by someone else's guesses.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

KNOWN_BROWSER = "asrhub_known"
SALT = "asrhub.throttle.known-browser"
A_YEAR = 365 * 24 * 3600


def client_address(request: HttpRequest) -> str:
    """The real client's address (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind ``ASRHUB_PROXY_COUNT`` proxies, each appending the address it received the
    request from to X-Forwarded-For, the client is the entry that many places from the
    right: whatever the client itself wrote further left is ignored. The header is read
    only when the peer is a trusted proxy (FORWARDED_ALLOW_IPS, as for gunicorn);
    anyone reaching the process directly is known by REMOTE_ADDR alone.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.ASRHUB_PROXY_COUNT
    if count < 1 or not is_trusted_proxy(remote):
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(chain) < count:
        return remote
    try:
        return str(ipaddress.ip_address(chain[-count]))
    except ValueError:
        return remote


# The longest username the lockout's table (axes.AccessAttempt.username) holds.
ATTEMPT_USERNAME_LENGTH = 255


def attempt_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username a failed log-in is recorded under (``AXES_USERNAME_CALLABLE``):
    what was typed, cut to what the lockout's table holds. PostgreSQL refuses a longer
    value (a 500 for a 300-character guess); the lockout counts per address anyway."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username")
    return username[:ATTEMPT_USERNAME_LENGTH] if isinstance(username, str) else username


def is_trusted_proxy(address: str) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.ASRHUB_TRUSTED_PROXIES:
        if entry == "*":
            return True
        try:
            if peer in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _key(kind: str, value: str) -> str:
    return f"throttle:{kind}:{hashlib.sha256(value.casefold().encode()).hexdigest()}"


def count(kind: str, value: str, window: int) -> int:
    """Add one to the counter ``kind``/``value`` (started for ``window`` seconds)."""
    key = _key(kind, value)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def allow(kind: str, value: str, limit: int, window: int) -> bool:
    """Count one more event; False once there were more than ``limit`` in the window."""
    return count(kind, value, window) <= limit


def is_known_browser(request: HttpRequest, username: str) -> bool:
    try:
        known = request.get_signed_cookie(KNOWN_BROWSER, salt=SALT, max_age=A_YEAR)
    except (KeyError, signing.BadSignature):
        return False
    return known.casefold() == username.casefold()


def remember_browser(response: HttpResponse, username: str) -> None:
    response.set_signed_cookie(
        KNOWN_BROWSER,
        username,
        salt=SALT,
        max_age=A_YEAR,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def may_try_login(request: HttpRequest, username: str) -> bool:
    """Whether a sign-in for ``username`` may be checked now (see the module doc)."""
    if is_known_browser(request, username):
        return True
    failures = cache.get(_key("login-failures", username), 0)
    if failures < settings.ASRHUB_USERNAME_FAILURES:
        return True
    return cache.add(_key("login-slot", username), 1, settings.ASRHUB_USERNAME_INTERVAL)


def login_failed(username: str) -> None:
    count("login-failures", username, settings.ASRHUB_USERNAME_WINDOW)
