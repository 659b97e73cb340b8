"""Latency of the suggestion flow, request by request, through the whole Django stack.

    .venv/bin/python bench/suggestions.py [--rounds 50] [--database-url URL]

A fresh database (SQLite in a temporary directory unless ``--database-url`` names
another, e.g. an empty PostgreSQL database) gets the migrations and ``--rounds`` members.
Each round one member opens /suggest/ and submits a new entry, a curator runs the
"accept" action, opens the pre-filled Resource add form and saves it published, then a
visitor opens the new entry's public page and the member their /me/suggestions/. The
Django test client times each request in process (no network, no web server; settings
as for local development, DEBUG on), so the figures are the application's own cost.
Prints the median and 95th percentile per step.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="asrhub-bench-suggestions-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="asrhub.settings",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=args.database_url or f"sqlite:///{work / 'db.sqlite3'}",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from catalogue.models import Resource
    from suggestions.models import Suggestion

    call_command("migrate", verbosity=0)
    curator = User.objects.create_superuser("bench-curator", "c@example.org", "x")
    staff, member = Client(), Client()
    staff.force_login(curator)
    visitor = Client()
    timings: dict[str, list[float]] = {}

    def timed(step: str, expect: int, call, *args):
        start = time.perf_counter()
        response = call(*args)
        timings.setdefault(step, []).append((time.perf_counter() - start) * 1000)
        assert response.status_code == expect, (step, response.status_code)
        return response

    for n in range(args.rounds):
        user = User.objects.create_user(f"bench-member-{n}", f"m{n}@example.org", "x")
        member.force_login(user)
        title = f"Bench model {n}"
        timed("GET /suggest/", 200, member.get, "/suggest/")
        data = {
            "title": title,
            "url": f"https://models.example/{n}",
            "entry_kind": "model",
            "message": "A model the catalogue lacks.",
            "credit_publicly": "on",
        }
        timed("POST /suggest/ (submit)", 302, member.post, "/suggest/", data)
        suggestion = Suggestion.objects.get(member=user)
        queue = "/admin/suggestions/suggestion/"
        action = {"action": "accept", "_selected_action": [suggestion.pk]}
        timed("POST accept action", 302, staff.post, queue, action)
        accept = f"{queue}{suggestion.pk}/accept/"
        form = timed("GET pre-filled add form", 200, staff.get, accept)
        assert title.encode() in form.content
        plain = "/admin/catalogue/resource/add/"
        timed("GET plain add form (baseline)", 200, staff.get, plain)
        # What the curator's browser posts back: the pre-filled values and a summary.
        post = {
            name: json.dumps(value) if isinstance(value, list) else str(value)
            for name, value in suggestion.resource_initial().items()
        }
        post.update(
            {
                "summary": "A model.",
                "is_published": "on",
                "status": "active",
                "link_health": "unchecked",
                "roles-TOTAL_FORMS": "0",
                "roles-INITIAL_FORMS": "0",
            }
        )
        timed("POST add form (accept)", 302, staff.post, accept, post)
        resource = Resource.objects.get(title=title)
        page = timed("GET public entry page", 200, visitor.get, resource.get_absolute_url())
        assert b"Suggested by" in page.content
        timed("GET /me/suggestions/", 200, member.get, "/me/suggestions/")

    database = os.environ["DATABASE_URL"].split(":")[0]
    print(f"{args.rounds} rounds on {database}; milliseconds per request")
    print(f"{'step':<28} {'median':>8} {'p95':>8} {'max':>8}")
    for step, values in timings.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"{step:<28} {statistics.median(values):8.1f} {p95:8.1f} {values[-1]:8.1f}")


if __name__ == "__main__":
    main()
