"""Every URL pattern of the project, flattened, for tests that must cover them all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # e.g. "packs/<str:username>/<slug:slug>/"

    @property
    def parameters(self) -> list[tuple[str, str]]:
        """(converter, name) pairs in order."""
        return [(m["converter"] or "str", m["name"]) for m in PARAMETER.finditer(self.route)]

    def path(self, **values: str) -> str:
        return "/" + PARAMETER.sub(lambda m: str(values[m["name"]]), self.route)


def project_routes(*, skip_namespaces: tuple[str, ...] = ("admin",)) -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if ns in skip_namespaces:
                    continue
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or route)
                routes.append(Route(name=name, route=route))

    walk(get_resolver().url_patterns, "", None)
    return routes
