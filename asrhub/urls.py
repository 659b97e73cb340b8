"""URL map: each area of the site has its own module and namespace."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import include, path

from catalogue.views.pages import favicon

admin.site.site_header = "ASR Hub curation"
admin.site.site_title = "ASR Hub admin"
admin.site.index_title = "Catalogue and members"


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "view on site" redirect, for staff who may view that model only.

    Django's own answers any staff member with the object's address, which for a
    private pack tells its owner and slug to staff who may not see packs.
    """
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not admin.site.is_registered(model):
        raise Http404("No such page.")
    if not admin.site.get_model_admin(model).has_view_permission(request):
        raise Http404("No such page.")
    return shortcut(request, content_type_id, object_id)


urlpatterns = [
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("", include("catalogue.urls")),
    path("", include("catalogue.event_urls")),
    path("", include("catalogue.feed_urls")),
    path("", include("accounts.urls")),
    path("", include("accounts.follow_urls")),
    path("", include("suggestions.urls")),
    path("", include("digests.urls")),
    path("", include("river.urls")),
]
