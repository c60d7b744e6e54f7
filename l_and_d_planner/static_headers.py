"""WhiteNoise's hook for static files (settings.WHITENOISE_ADD_HEADERS_FUNCTION): the same
security headers as every page (l_and_d_planner/security.py). Importable from settings: it
reads Django only when called."""


def add_static_headers(headers, path: str, url: str) -> None:
    from csp.utils import build_policy
    from django.conf import settings

    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY
    headers["Content-Security-Policy"] = build_policy()
