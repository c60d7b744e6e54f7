"""Loaded before Django's settings (`-p tests.environment` in pyproject.toml): the tests run with
DEBUG=1 unless told otherwise, as scripts/test.sh runs them; settings default DEBUG to off."""

import os

os.environ.setdefault("DEBUG", "1")
