"""Small security headers Django has no setting for, and two request checks."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from catalogue.versioning import one_version


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


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than ``ASRHUB_MAX_REQUEST_BODY``
    with 413, before anything reads it.

    Django caps form fields in memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams
    uploaded files to a temporary file whatever their size, so without this check a
    300 MB anonymous POST to the login page is written to disk first. A body without
    ``Content-Length`` (chunked) is not read by Django at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.\n", status=400, content_type="text/plain")
        if length > settings.ASRHUB_MAX_REQUEST_BODY:
            response = HttpResponse(
                "Request body too large.\n", status=413, content_type="text/plain"
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class RejectNulMiddleware:
    """Answer 400 to a request carrying a NUL character in its path, query string,
    headers or form fields.

    PostgreSQL text cannot hold NUL, so any such value reaching a query raises a
    DataError (a 500) wherever it is used: URL parameters, search boxes, form
    fields, the user agent django-axes records. One check here covers every view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or self.has_nul(request):
            raise BadRequest("NUL characters are not allowed.")
        return self.get_response(request)

    @staticmethod
    def has_nul(request: HttpRequest) -> bool:
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_"))
        if any("\x00" in value for value in headers if isinstance(value, str)):
            return True
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            fields.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for data in fields
            for key, values in data.lists()
        )


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class PrivateCacheMiddleware:
    """Mark members' pages and token URLs ``Cache-Control: private`` (and ``no-store``
    unless the view chose a lifetime), so no shared cache keeps one member's page,
    feed or OPML for another."""

    PREFIXES = ("/me/", "/u/", "/accounts/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.PREFIXES):
            if "max-age" in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True)
            else:
                patch_cache_control(response, private=True, no_store=True)
        return response


class CatalogueVersionMiddleware:
    """Each request reads the catalogue version once (``catalogue.versioning.one_version``)
    instead of once per cached thing it looks up: fewer cache round trips, and one
    consistent version for the whole response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with one_version():
            return self.get_response(request)
