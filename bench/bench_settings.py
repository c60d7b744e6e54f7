"""Settings for benchmark servers: the project's settings plus a bare JsonResponse view."""

from l_and_d_planner.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
SECURE_SSL_REDIRECT = False
LOGGING = {"version": 1, "disable_existing_loggers": True}
