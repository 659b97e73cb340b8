from django.urls import path

from catalogue.views import browse, pages

app_name = "catalogue"

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("resources/", browse.resource_list, name="resource_list"),
    path("resources/<slug:slug>/", browse.resource_detail, name="resource_detail"),
    path("categories/", browse.category_list, name="category_list"),
    path("categories/<slug:slug>/", browse.category_detail, name="category_detail"),
    path("people/", browse.person_list, name="person_list"),
    path("people/<slug:slug>/", browse.person_detail, name="person_detail"),
]
