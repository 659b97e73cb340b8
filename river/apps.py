from django.apps import AppConfig


class RiverConfig(AppConfig):
    name = "river"
    verbose_name = "River"

    def ready(self) -> None:
        from river import lookups

        lookups.register()
