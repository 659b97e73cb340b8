# syntax=docker/dockerfile:1
# ASR Hub production image: gunicorn behind a TLS-terminating proxy.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
COPY pyproject.toml README.md ./
# Install the dependencies first so code changes don't invalidate this layer.
RUN pip install --upgrade pip && pip install .
COPY . .
# collectstatic needs settings that import; the key is only for this build step.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-not-secret-build-only-not-secret-build \
    python manage.py collectstatic --noinput

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH \
    DJANGO_DEBUG=0 PORT=8000
RUN groupadd --system asrhub && useradd --system --gid asrhub --home /app --shell /usr/sbin/nologin asrhub
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=asrhub:asrhub /app /app
USER asrhub
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os,urllib.request,sys; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/healthz', timeout=4).status == 200 else 1)"
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "asrhub.wsgi:application"]
