"""Benchmark settings: production settings as deployed, plus the reference views and the stock
Wagtail page type (the `bench` app) to compare with.

bench/run.py sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment and turns off
the HTTPS redirect (the load generator speaks plain HTTP on loopback). Not for real use.
"""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# Production behaviour, but not production data: lets seed_scale fill the benchmark database
# (it refuses ENVIRONMENT "production").
ENVIRONMENT = "benchmark"
