"""URL map: each area of the site has its own module and namespace."""

from django.contrib import admin
from django.urls import include, path

from catalogue.views.pages import favicon

admin.site.site_header = "ASR Hub curation"
admin.site.site_title = "ASR Hub admin"
admin.site.index_title = "Catalogue and members"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("", include("catalogue.urls")),
    path("", include("catalogue.event_urls")),
    path("", include("catalogue.feed_urls")),
    path("", include("accounts.urls")),
    path("", include("accounts.follow_urls")),
    path("", include("river.urls")),
]
