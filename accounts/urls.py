from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views, views_auth, views_bookmarks, views_pack_page, views_packs

app_name = "accounts"


def password_form(heading: str, button: str) -> dict:
    """The template shared by the three password forms, with its heading and button."""
    return {
        "template_name": "accounts/password_form.html",
        "extra_context": {"heading": heading, "button": button},
    }


urlpatterns = [
    # Accounts
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views_auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(
            **password_form("Change your password", "Save"),
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        views_auth.PasswordResetView.as_view(
            **password_form("Reset your password", "Send me a link"),
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            **password_form("Choose a new password", "Save"),
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/settings/", views.settings_view, name="settings"),
    path("members/<str:username>/", views.member_detail, name="member_detail"),
    # Bookmarks
    path("me/bookmarks/", views.bookmarks, name="bookmarks"),
    path("me/bookmarks/<int:pk>/note/", views.bookmark_note, name="bookmark_note"),
    path("me/bookmarks/<int:pk>/edit/", views_bookmarks.bookmark_edit, name="bookmark_edit"),
    path("me/bookmarks/tags/<str:slug>/", views_bookmarks.bookmark_tag, name="bookmark_tag"),
    path(
        "me/bookmarks/export.<str:fmt>",
        views_bookmarks.bookmark_export,
        name="bookmark_export",
    ),
    path("bookmark/<str:kind>/<slug:slug>/", views.bookmark_toggle, name="bookmark_toggle"),
    # Packs
    path("me/packs/", views_packs.my_packs, name="my_packs"),
    path("packs/", views_packs.pack_list, name="pack_list"),
    path("packs/add/", views_packs.pack_add, name="pack_add"),
    path("packs/<str:username>/<slug:slug>/", views_packs.pack_detail, name="pack_detail"),
    path("packs/<str:username>/<slug:slug>/edit/", views_packs.pack_edit, name="pack_edit"),
    path("packs/<str:username>/<slug:slug>/delete/", views_packs.pack_delete, name="pack_delete"),
    path("packs/<str:username>/<slug:slug>/copy/", views_packs.pack_copy, name="pack_copy"),
    path(
        "packs/<str:username>/<slug:slug>/links/",
        views_packs.pack_add_external,
        name="pack_add_external",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/note/",
        views_packs.item_note,
        name="item_note",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/move/",
        views_packs.item_move,
        name="item_move",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/place/",
        views_pack_page.item_place,
        name="item_place",
    ),
    path(
        "packs/<str:username>/<slug:slug>/visibility/",
        views_pack_page.pack_visibility,
        name="pack_visibility",
    ),
    path(
        "packs/<str:username>/<slug:slug>/items/<int:item_id>/remove/",
        views_packs.item_remove,
        name="item_remove",
    ),
    path(
        "packs/<str:username>/<slug:slug>/pack.md", views_packs.pack_markdown, name="pack_markdown"
    ),
    path("packs/<str:username>/<slug:slug>/pack.opml", views_packs.pack_opml, name="pack_opml"),
]
