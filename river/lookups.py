"""``field__any=[…]``: membership in a list of integers, as one array on PostgreSQL.

``field__in=[…]`` with hundreds of ids (the sources a member follows) costs a placeholder
per id to build, send and parse; ``= ANY(%s)`` sends the list as one array value, which
psycopg inlines as an array literal, so PostgreSQL still plans with the real list. Other
databases get the usual ``IN (…)``.
"""

from __future__ import annotations

from django.db import models


class AnyOf(models.Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    for field in (models.ForeignKey, models.BigAutoField, models.AutoField):
        field.register_lookup(AnyOf)
