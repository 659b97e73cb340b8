"""Mail settings, address verification and one-click unsubscribing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from digests.forms import MailSettingsForm
from digests.models import MailSettings
from digests.services import send_verification, settings_for, verify
from digests.tokens import BadToken, read_unsubscribe_token

KIND_NAMES = {"digest": "digests", "reminders": "deadline reminders"}


@login_required
@require_http_methods(["GET", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    prefs = settings_for(request.user)
    form = MailSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        prefs = form.save(commit=False)
        prefs.reschedule(timezone.now())
        prefs.save()
        messages.success(request, "Your mail settings are saved.")
        return redirect("digests:settings")
    return render(request, "digests/settings.html", {"form": form, "prefs": prefs})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    if settings_for(request.user).is_verified:
        messages.info(request, "Your address is already verified.")
    elif send_verification(request.user):
        messages.success(request, f"We sent a verification link to {request.user.email}.")
    else:
        messages.error(request, "A link was sent a few minutes ago; try again later.")
    return redirect("digests:settings")


@require_safe
def verify_address(request: HttpRequest, token: str) -> HttpResponse:
    try:
        prefs = verify(token)
    except BadToken:
        return render(request, "digests/verify_failed.html", status=400)
    return render(request, "digests/verified.html", {"email": prefs.verified_email})


# Mail providers POST here without a session or CSRF token (RFC 8058); the signed
# token is the authority, and the POST changes only the one setting it names.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        request_for = read_unsubscribe_token(token)
    except BadToken:
        return render(request, "digests/unsubscribe_failed.html", status=400)
    prefs = MailSettings.objects.filter(pk=request_for.user_id).first()
    if prefs is None:
        return render(request, "digests/unsubscribe_failed.html", status=400)
    context = {"kind": KIND_NAMES[request_for.kind], "token": token}
    if request.method == "GET":
        return render(request, "digests/unsubscribe.html", context)
    with transaction.atomic():
        if request_for.kind == "digest":
            MailSettings.objects.filter(pk=prefs.pk).update(
                frequency=MailSettings.Frequency.OFF, next_digest_at=None
            )
        else:
            MailSettings.objects.filter(pk=prefs.pk).update(reminders=False)
    return render(request, "digests/unsubscribed.html", context)
