"""What a member is told after posting a small form (a note, tags, a link)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest


def say_errors(request: HttpRequest, form: forms.BaseForm, message: str = "") -> None:
    """``message``, or else each of the form's errors, as error messages."""
    if message:
        messages.error(request, message)
        return
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def save_and_say(
    request: HttpRequest, form: forms.BaseModelForm, saved: str, invalid: str = ""
) -> bool:
    """Save a valid ``form`` and say ``saved``; else say why (see :func:`say_errors`).
    True when it was saved."""
    if not form.is_valid():
        say_errors(request, form, invalid)
        return False
    form.save()
    messages.success(request, saved)
    return True
