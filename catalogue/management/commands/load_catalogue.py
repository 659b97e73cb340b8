"""Load the whole catalogue from fixtures/, in dependency order.

The fixtures use natural keys (slugs), so running this twice changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Order matters: later files refer to entries of earlier ones by natural key.
FIXTURES = ["taxonomy", "resources", "people", "events", "packs"]


class Command(BaseCommand):
    help = "Load (or reload) the ASR Hub catalogue from the fixtures directory."

    def handle(self, *args, **options) -> None:
        directory = Path(settings.BASE_DIR) / "fixtures"
        paths = [str(directory / f"{name}.yaml") for name in FIXTURES]
        missing = [p for p in paths if not Path(p).exists()]
        paths = [p for p in paths if p not in missing]
        for path in missing:
            self.stderr.write(f"Skipping missing fixture {path}")
        if paths:
            call_command("loaddata", *paths, verbosity=options["verbosity"])
