"""Where a member's action sends them next: the safe ``next`` URL, and the log-in page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """The ``next`` URL of the request when it stays on this site, else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def log_in_first(request: HttpRequest, back: str) -> HttpResponse:
    """Send a visitor's toggle (bookmark, follow) to the log-in page, then ``back``.

    An htmx request gets 204 with ``HX-Redirect`` (a redirect would be swapped in place).
    """
    login_url = reverse("accounts:login") + "?" + urlencode({"next": back})
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login_url
        return response
    return HttpResponseRedirect(login_url)
