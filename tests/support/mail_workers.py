"""Mail-queue workers in their own processes, and verified members for them to serve:
what the PostgreSQL worker tests (`tests/digests/test_workers_pg.py`) and the digest
benchmark (`bench/digests.py`) both set up."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable

# `db_worker` on the mail queue, at once and quietly; callers add e.g. `--batch`.
WORKER_COMMAND = [
    sys.executable,
    "manage.py",
    "db_worker",
    "--backend",
    "database",
    "--queue-name",
    "mail",
    "--no-startup-delay",
    "--no-reload",
    "--interval",
    "0",
    "-v",
    "0",
]


def worker_env(database_url: str, smtp_port: int, **extra: str) -> dict:
    """A worker's environment: this database, and mail to a local SMTP server in clear."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "ASRHUB_SITE_URL": "https://asrhub.example.org",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def verify_members(
    users: Iterable, now: dt.datetime, *, due_at: dt.datetime, batch_size: int | None = None
) -> None:
    """Mail settings for ``users``: each address verified a month ago, a digest due at
    ``due_at``."""
    # Imported here, not above: bench/digests.py imports this module before Django is
    # set up (it builds the workers' environment first).
    from digests.models import MailSettings

    MailSettings.objects.bulk_create(
        (
            MailSettings(
                user=user,
                verified_email=user.email,
                verified_at=now - dt.timedelta(days=30),
                next_digest_at=due_at,
            )
            for user in users
        ),
        batch_size=batch_size,
    )
