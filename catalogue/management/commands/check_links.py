"""Check every published resource's URL and record its health.

manage.py check_links              # everything (once a day from cron)
manage.py check_links --resource openai-whisper
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from catalogue.fetching.links import check_link
from catalogue.fetching.runner import PER_HOST, WORKERS, run_all
from catalogue.models import Resource


class Command(BaseCommand):
    help = "Check resource links (HEAD, then GET) and record their health."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--resource", action="append", default=[])
        parser.add_argument("--workers", type=int, default=WORKERS)

    def handle(self, *args, **options) -> None:
        resources = Resource.objects.published()
        if options["resource"]:
            resources = resources.filter(slug__in=options["resource"])
        resources = list(resources.order_by("link_checked_at", "pk"))
        results = run_all(
            resources, check_link, lambda r: r.url, workers=options["workers"], per_host=PER_HOST
        )
        counts: dict[str, int] = {}
        for result in results:
            counts[result] = counts.get(result, 0) + 1
        self.stdout.write(
            f"{len(resources)} links: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        )
