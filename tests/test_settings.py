"""Production settings: fail loudly without a secret, pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-key-for-tests-only-9f8e7d6c5b4a3210",
    "DJANGO_ALLOWED_HOSTS": "asrhub.example.org",
    "DATABASE_URL": "sqlite:////tmp/asrhub-settings-test.sqlite3",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = manage("check", **env)
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_malformed_boolean():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be a boolean" in result.stderr
