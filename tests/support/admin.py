"""Driving the admin from tests."""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse


def run_action(client, action: str, *objects: Model, **options):
    """Post ``action`` on ``objects`` (all of one model) to their admin change list, as the
    action bar does; ``options`` go to ``client.post`` (``follow=True``)."""
    meta = objects[0]._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    data = {"action": action, "_selected_action": [obj.pk for obj in objects]}
    return client.post(url, data, **options)
