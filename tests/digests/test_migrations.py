"""The data migration that moved each digest's ``SentPost`` rows into ``Digest.post_ids``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import FeedEntryFactory, UserFactory

BEFORE = [("digests", "0001_mail_settings_and_send_logs")]
AFTER = [("digests", "0002_digest_post_ids")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_sent_posts_move_into_their_digest_and_back():
    user, other = UserFactory(), UserFactory()
    entries = [FeedEntryFactory() for _ in range(3)]
    apps = migrate(BEFORE)
    try:
        Digest = apps.get_model("digests", "Digest")
        SentPost = apps.get_model("digests", "SentPost")
        now = timezone.now()
        first = Digest.objects.create(user_id=user.pk, slot=now, to="a@example.org", post_count=2)
        second = Digest.objects.create(user_id=other.pk, slot=now, to="b@example.org")
        for entry in entries[:2]:
            SentPost.objects.create(user_id=user.pk, entry_id=entry.pk, digest_id=first.pk)
        SentPost.objects.create(user_id=other.pk, entry_id=entries[2].pk, digest_id=second.pk)

        apps = migrate(AFTER)
        Digest = apps.get_model("digests", "Digest")
        assert dict(Digest.objects.values_list("pk", "post_ids")) == {
            first.pk: [entries[0].pk, entries[1].pk],
            second.pk: [entries[2].pk],
        }

        apps = migrate(BEFORE)
        SentPost = apps.get_model("digests", "SentPost")
        assert set(SentPost.objects.values_list("digest_id", "entry_id")) == {
            (first.pk, entries[0].pk),
            (first.pk, entries[1].pk),
            (second.pk, entries[2].pk),
        }
    finally:
        migrate(AFTER)
