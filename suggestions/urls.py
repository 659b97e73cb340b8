from django.urls import path

from suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/<str:kind>/<slug:slug>/", views.report, name="report"),
    path("me/suggestions/", views.mine, name="mine"),
    path("me/suggestions/<int:pk>/", views.detail, name="detail"),
]
