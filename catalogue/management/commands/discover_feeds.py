"""Propose feed URLs for resources that have none; a curator confirms.

manage.py discover_feeds                       # print proposals
manage.py discover_feeds --resource x --apply  # set the first proposal (confirmed)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from catalogue.fetching.discovery import discover
from catalogue.fetching.runner import run_all
from catalogue.models import Resource


class Command(BaseCommand):
    help = "Look for RSS/Atom feeds on resource pages and propose them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--resource", action="append", default=[])
        parser.add_argument(
            "--apply", action="store_true", help="Set feed_url to the first proposal."
        )

    def handle(self, *args, **options) -> None:
        resources = Resource.objects.published().filter(feed_url="")
        if options["resource"]:
            resources = resources.filter(slug__in=options["resource"])
        resources = list(resources.order_by("pk"))
        proposals = run_all(resources, lambda r: discover(r.url), lambda r: r.url)
        for resource, found in zip(resources, proposals, strict=True):
            if not found:
                continue
            self.stdout.write(f"{resource.slug}: {' '.join(found)}")
            if options["apply"]:
                Resource.objects.filter(pk=resource.pk).update(feed_url=found[0])
