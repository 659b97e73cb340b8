from django.urls import path

from catalogue.views.feeds import NewResourcesFeed

app_name = "feeds"

urlpatterns = [
    path("feeds/new.atom", NewResourcesFeed(), name="new"),
]
