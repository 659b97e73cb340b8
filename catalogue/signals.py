"""Keep the search index (PostgreSQL vectors, SQLite FTS5) in step with what it is built from."""

from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from catalogue import search_sqlite
from catalogue.models import Category, Event, Person, Resource, ResourcePerson, Topic
from catalogue.search import refresh_search_vectors
from catalogue.versioning import catalogue_changed, taxonomy_changed


def refresh(ids: list[int]) -> None:
    """Refresh at once, in the same transaction: one UPDATE of a few rows."""
    if ids:
        refresh_search_vectors(ids)


@receiver(post_save, sender=Resource)
def resource_saved(sender, instance: Resource, raw: bool = False, **kwargs) -> None:
    # Fixture loads refresh every vector once at the end (see load_catalogue).
    if not raw:
        refresh([instance.pk])


@receiver(m2m_changed, sender=Resource.topics.through)
def resource_topics_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # topic.resources.add(...)
        ids = list(pk_set or instance.resources.values_list("pk", flat=True))
    else:
        ids = [instance.pk]
    refresh(ids)


@receiver([post_save, post_delete], sender=Category)
def category_changed(sender, **kwargs) -> None:
    taxonomy_changed()


@receiver([post_save, post_delete], sender=Resource)
def resource_changed(sender, instance: Resource, **kwargs) -> None:
    """Facet counts and visitors' results are cached per catalogue version: any change
    starts a new one. The facet index learns which resource changed (and patches its
    bits instead of being rebuilt)."""
    catalogue_changed(resources=[instance.pk])


@receiver(m2m_changed, sender=Resource.categories.through)
@receiver(m2m_changed, sender=Resource.topics.through)
def links_changed(sender, instance, reverse: bool, pk_set, **kwargs) -> None:
    if not reverse:  # resource.topics.add(...)
        catalogue_changed(resources=[instance.pk])
    elif pk_set is not None:  # topic.resources.add(...)
        catalogue_changed(resources=pk_set)
    else:  # topic.resources.clear(): which resources is not said
        catalogue_changed()


@receiver([post_save, post_delete], sender=Person)
@receiver([post_save, post_delete], sender=Event)
@receiver([post_save, post_delete], sender=ResourcePerson)
def others_changed(sender, **kwargs) -> None:
    """People and events appear above the resources of a search: a new version, with no
    resource's facet values changed."""
    catalogue_changed(resources=())


@receiver([post_save, post_delete], sender=Topic)
def topic_changed(sender, **kwargs) -> None:
    """A topic's slug or name is in the index's topic list: rebuilt."""
    catalogue_changed()


@receiver(post_save, sender=Topic)
def topic_saved(sender, instance: Topic, raw: bool = False, **kwargs) -> None:
    if not raw and instance.pk:
        refresh(list(instance.resources.values_list("pk", flat=True)))


@receiver(post_migrate)
def search_trigger_kept(sender, using: str = "default", **kwargs) -> None:
    """SQLite loses the search index's delete trigger when a migration rebuilds the
    resource table: make it again after every migrate (nothing to do on PostgreSQL)."""
    connection = connections[using]
    if sender.name == "catalogue" and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            search_sqlite.ensure_resource_trigger(cursor)
