"""Print, as JSON, the headers and cookies the main pages send in production mode.

Run in a subprocess with production environment variables (DJANGO_DEBUG=0 …) by
``tests/test_security_headers.py``: settings are read once per process, so the real
production branch of ``asrhub/settings.py`` is what gets exercised.
"""

import json
import os
import sys

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asrhub.settings")
django.setup()

import re  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from catalogue.models import Resource  # noqa: E402

HOST = "asrhub.example.org"


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    resource, _ = Resource.objects.get_or_create(
        slug="probe-resource",
        defaults={
            "title": "Probe",
            "kind": "blog",
            "url": "https://example.org/",
            "summary": "A probe.",
            "is_published": True,
        },
    )
    User.objects.filter(username="probe").delete()
    User.objects.create_user("probe", "probe@example.org", "a-Long-probe-passw0rd")

    client = Client(HTTP_HOST=HOST)
    report: dict = {"pages": {}, "cookies": {}}
    for path in ["/", "/resources/", resource.get_absolute_url(), "/events/", "/accounts/login/"]:
        response = client.get(path, secure=True)
        report["pages"][path] = {"status": response.status_code, "headers": dict(response.headers)}
    stylesheet = re.search(
        r'href="(/static/css/site\.[0-9a-f]+\.css)"', client.get("/", secure=True).text
    )
    static = client.get(stylesheet.group(1), secure=True) if stylesheet else None
    report["static"] = {
        "url": stylesheet.group(1) if stylesheet else None,
        "status": static.status_code if static else None,
        "cache_control": static.get("Cache-Control", "") if static else "",
    }
    plain = client.get("/resources/", secure=False)
    report["plain_http"] = {"status": plain.status_code, "location": plain.get("Location", "")}
    login = client.post(
        "/accounts/login/",
        {"username": "probe", "password": "a-Long-probe-passw0rd"},
        secure=True,
    )
    report["login_status"] = login.status_code
    for name, morsel in client.cookies.items():
        report["cookies"][name] = {
            "secure": bool(morsel["secure"]),
            "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"],
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
