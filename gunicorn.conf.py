"""Gunicorn as the app servers run it, and as `make bench` measures it.

`gunicorn` reads this file from the working directory: run it from the project root with the
production settings' environment (see README.md, "Running in production"). Every value can be
overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import gc
import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# One process per core, eight threads each: on the 2-core benchmark machine this served more
# progress events than 2 processes per core x 4 threads in five paired runs out of five, with
# less CPU per event (docs/benchmarks.md). A request mostly waits for PostgreSQL or Redis.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS", 8))

# The load balancer keeps connections open; the progress script sends several requests a page.
keepalive = 30
# A force's whole CSV export streams for a while (the largest, about 600,000 rows, took 16 s on
# the benchmark machine); nothing else comes near this.
timeout = 300
graceful_timeout = 30


def post_worker_init(worker):
    """Move what the worker has loaded (Django, Wagtail, the URL patterns, the templates) out
    of the garbage collector's reach: it lives as long as the worker, and every full collection
    would otherwise walk all of it again (about 1.5% of a lesson page's CPU)."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - builds the URL patterns' lookup tables now
    gc.freeze()
