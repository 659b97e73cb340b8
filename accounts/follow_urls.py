from django.urls import path

from accounts import views_following as views

app_name = "following"

urlpatterns = [
    path("follow/<slug:slug>/", views.follow_toggle, name="toggle"),
    path("me/following/", views.following, name="following"),
    path("me/following/token/", views.rotate_token, name="rotate_token"),
    path("me/following/import/", views.opml_import, name="opml_import"),
    path("me/following/pack/<str:username>/<slug:slug>/", views.follow_pack, name="follow_pack"),
    path("u/<str:token>/feed.atom", views.atom_feed, name="atom"),
    path("u/<str:token>/following.opml", views.opml_export, name="opml"),
]
