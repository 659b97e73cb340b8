"""Signing up and logging in through the site's own forms, as a visitor would."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

NEW_PASSWORD = "a-Long-enough-passw0rd"  # passes every password validator


def sign_up(
    client: Client, username: str = "newbie", email: str | None = None, **fields: str
) -> HttpResponse:
    """Post the sign-up form (``email`` defaults to ``<username>@example.org``);
    ``fields`` override any field, e.g. a mismatched ``password2``."""
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email or f"{username}@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **fields,
        },
    )
