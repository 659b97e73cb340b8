"""gunicorn configuration, every value from the environment."""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# sync/gthread workers read each request themselves: a client sending slowly holds a
# worker (or thread) the whole time. They are safe only behind a buffering proxy (nginx
# buffers whole requests before passing them on), which docs/deploy.md makes a
# requirement.
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Logs to stdout/stderr for the container runtime.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Only the proxy may say a request came over HTTPS (X-Forwarded-Proto): gunicorn ignores
# the header from any other peer, and Django takes the scheme from gunicorn. Set this to
# the proxy's address(es) or network(s), comma-separated; never "*" while the port is
# reachable by anyone else.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Bound what one request may send before the app sees it.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Load the app before forking so workers share memory.
preload_app = True
