"""Delete river posts older than ASRHUB_RIVER_RETENTION_DAYS; starred posts stay.

    manage.py prune_river            # run daily, e.g. after a fetch round

A deleted post takes its sources, topics and every member's read state with it; a post
any member starred is kept, with its state, however old it is.
"""

from django.core.management.base import BaseCommand

from river.models import Post


class Command(BaseCommand):
    help = "Delete river posts past the retention period (starred posts are kept)."

    def handle(self, *args, **options) -> None:
        deleted = 0
        while True:
            # In batches, so a first run over a large river does not hold one huge lock.
            batch = list(Post.objects.expired().values_list("pk", flat=True)[:5000])
            if not batch:
                break
            Post.objects.filter(pk__in=batch).delete()
            deleted += len(batch)
        self.stdout.write(f"Deleted {deleted} posts past the retention period.")
