from django.apps import AppConfig


class RiverConfig(AppConfig):
    name = "river"
    verbose_name = "River"
