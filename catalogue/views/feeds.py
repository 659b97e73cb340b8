"""The site feed: newly published resources, as Atom."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from catalogue.models import Resource


class NewResourcesFeed(Feed):
    feed_type = Atom1Feed
    title = "New on ASR Hub"
    link = "/resources/?sort=newest"
    subtitle = "Resources newly added to the ASR Hub catalogue."
    feed_guid = "tag:asrhub,2026:new-resources"

    def items(self):
        return (
            Resource.objects.published()
            .select_related("organisation")
            .order_by("-created_at", "-pk")[:50]
        )

    def item_title(self, item: Resource) -> str:
        return item.title

    def item_description(self, item: Resource) -> str:
        return item.summary

    def item_pubdate(self, item: Resource):
        return item.created_at

    def item_updateddate(self, item: Resource):
        return item.updated_at

    def item_guid(self, item: Resource) -> str:
        return f"tag:asrhub,2026:resource:{item.pk}"

    item_guid_is_permalink = False

    def item_categories(self, item: Resource):
        return [item.get_kind_display()]
