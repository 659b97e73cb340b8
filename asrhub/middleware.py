"""Small security headers Django has no setting for."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class CrossOriginResourcePolicyMiddleware:
    """Send ``Cross-Origin-Resource-Policy: same-origin`` on every response.

    Django sets COOP and Referrer-Policy itself but has no setting for CORP.
    Responses meant to be fetched by other origins (feeds, calendars) are
    fetched by readers, not embedded by pages, so same-origin is safe for all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
