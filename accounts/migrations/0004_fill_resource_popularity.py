"""Fill the popularity counts added to catalogue.Resource from the existing rows."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Resource = apps.get_model("catalogue", "Resource")
    Follow = apps.get_model("accounts", "Follow")
    Bookmark = apps.get_model("accounts", "Bookmark")
    PackItem = apps.get_model("accounts", "PackItem")

    def count(queryset, field="pk"):
        rows = (
            queryset.filter(resource=OuterRef("pk"))
            .order_by()
            .values("resource")
            .annotate(n=Count(field, distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    Resource.objects.update(
        follower_count=count(Follow.objects.all()),
        bookmark_count=count(Bookmark.objects.all()),
        pack_count=count(PackItem.objects.filter(pack__visibility="public"), "pack"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_bookmark_tags"),
        ("catalogue", "0007_resource_popularity_counts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
