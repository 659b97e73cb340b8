"""Helpers for tests that compare whole tables."""

from django.apps import apps

APPS = ("catalogue", "accounts")


def snapshot(app_labels: tuple[str, ...] = APPS) -> dict[str, list]:
    """Every row of every model (and auto-created link table) of the given apps."""
    rows: dict[str, list] = {}
    for app in app_labels:
        for model in apps.get_app_config(app).get_models():
            if not model._meta.managed:  # the SQLite search index: derived data
                continue
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
            for field in model._meta.many_to_many:
                through = getattr(model, field.name).through
                # Auto-created link tables are dumped as lists: their ids are not kept.
                columns = [f.attname for f in through._meta.fields if not f.primary_key]
                rows[through._meta.label] = sorted(through.objects.values_list(*columns))
    return rows
