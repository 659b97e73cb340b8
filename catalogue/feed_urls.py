from django.urls import path  # noqa: F401

app_name = "feeds"

# Filled by the personal-feed work: /feeds/new.atom, /me/feed/, /me/following/, /u/<token>/…
urlpatterns: list = []
