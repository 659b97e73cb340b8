"""Load the whole catalogue from fixtures/ in one ``loaddata`` call.

The fixtures use natural keys (slugs) and carry explicit timestamps, so running this
twice changes nothing. Files are loaded in one transaction, so entries may refer to
entries of files listed later.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from catalogue.search import refresh_search_vectors

# Taxonomy first, then the entries, then the featured packs that refer to them.
PATTERNS = ["taxonomy.yaml", "resources.yaml", "people.yaml", "events.yaml", "packs.yaml"]


def fixture_paths(directory: Path | None = None) -> list[Path]:
    directory = directory or Path(settings.BASE_DIR) / "fixtures"
    paths: list[Path] = []
    for pattern in PATTERNS:
        paths.extend(sorted(directory.glob(pattern)))
    return paths


class Command(BaseCommand):
    help = "Load (or reload) the ASR Hub catalogue from the fixtures directory."

    def handle(self, *args, **options) -> None:
        paths = fixture_paths()
        if not paths:
            raise CommandError("No fixtures found in fixtures/.")
        call_command("loaddata", *map(str, paths), verbosity=options["verbosity"])
        # loaddata saves raw rows, so the search vectors are rebuilt once here.
        refresh_search_vectors()
