from django.urls import path

from digests import views

app_name = "digests"

urlpatterns = [
    path("accounts/settings/mail/", views.mail_settings, name="settings"),
    path("accounts/verify/resend/", views.resend_verification, name="resend"),
    path("accounts/verify/<str:token>/", views.verify_address, name="verify"),
    path("mail/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
