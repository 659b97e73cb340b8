"""The security headers and cookie flags of the main pages, with production settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    database = tmp_path_factory.mktemp("prod") / "db.sqlite3"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    env = {
        **clean,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-key-for-tests-only-1a2b3c4d5e6f7a8b9c",
        "DJANGO_ALLOWED_HOSTS": "asrhub.example.org",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_STATIC_ROOT": str(database.parent / "static"),
    }
    result = subprocess.run(
        [sys.executable, "tests/support/prod_probe.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_every_main_page_answers(report):
    assert {page["status"] for page in report["pages"].values()} == {200}


def test_plain_http_is_redirected_to_https(report):
    assert report["plain_http"]["status"] == 301
    assert report["plain_http"]["location"].startswith("https://")


@pytest.mark.parametrize("path", ["/", "/resources/", "/events/", "/accounts/login/"])
def test_security_headers(report, path):
    headers = report["pages"][path]["headers"]
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy.get("script-src", policy["default-src"])
    assert "'unsafe-eval'" not in policy.get("script-src", policy["default-src"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_resource_page_has_the_same_headers(report):
    path = next(p for p in report["pages"] if p.startswith("/resources/probe"))
    headers = report["pages"][path]["headers"]
    assert "Content-Security-Policy" in headers
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_cookies_are_secure_httponly_and_samesite(report):
    assert report["login_status"] == 302, "the probe could not log in"
    cookies = report["cookies"]
    assert {"sessionid", "csrftoken"} <= set(cookies)
    for name, flags in cookies.items():
        assert flags["secure"], name
        assert flags["httponly"], name
        assert flags["samesite"] in {"Lax", "Strict"}, name


def test_static_files_are_served_hashed_with_long_cache_headers(report):
    static = report["static"]
    assert static["url"], "the home page does not link a hashed stylesheet"
    assert static["status"] == 200
    assert "immutable" in static["cache_control"]
    max_age = int(static["cache_control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 31536000
