"""Log-in and password reset, throttled (see accounts.throttle); the rest is Django's."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accounts import throttle
from accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        throttle.remember_browser(response, form.get_user().get_username())
        return response

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """At most ASRHUB_RESET_LIMIT mails per address and per client in the window.

    Past the limit for an address, the answer is the usual "sent" page (so it tells
    nothing about the address); past the limit for a client, 429.
    """

    def form_valid(self, form) -> HttpResponse:
        window, limit = settings.ASRHUB_RESET_WINDOW, settings.ASRHUB_RESET_LIMIT
        client = throttle.client_address(self.request)
        if not throttle.allow("reset-client", client, limit * 3, window):
            return render(self.request, "accounts/reset_throttled.html", status=429)
        if not throttle.allow("reset-address", form.cleaned_data["email"], limit, window):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
