#!/bin/sh
# Container entrypoint: optionally migrate (the release step), then run the command.
set -eu

if [ "${DJANGO_MIGRATE_ON_START:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi
if [ "${ASRHUB_LOAD_CATALOGUE:-0}" = "1" ]; then
  python manage.py load_catalogue
fi

exec "$@"
