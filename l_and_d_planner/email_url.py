"""`EMAIL_URL` -> Django's email settings, read by hand (no extra dependency).

    smtp://user:password@mail.example.com:587          SMTP with STARTTLS on 587 (the default)
    smtp+ssl://user:password@mail.example.com:465      SMTP over TLS
    smtp://mail.example.com:25?tls=0                   plain SMTP (a relay on the local network)
    console://                                         print mails (development)
    locmem://                                          keep mails in memory (tests)

User and password are percent-decoded (`%40` for `@`). `?from=` sets DEFAULT_FROM_EMAIL.
"""

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def email_settings_from_url(url: str) -> dict:
    """The Django settings an `EMAIL_URL` stands for; ValueError for an unknown scheme."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ValueError(f"EMAIL_URL: unknown scheme '{scheme}' (use smtp, smtp+ssl, console).")
    result: dict = {"EMAIL_BACKEND": BACKENDS[scheme]}
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if "from" in query:
        result["DEFAULT_FROM_EMAIL"] = query["from"]
    if not scheme.startswith("smtp"):
        return result
    ssl = scheme in {"smtp+ssl", "smtps"}
    port = parts.port or (465 if ssl else 587)
    tls = not ssl and query.get("tls", "1" if port == 587 else "0") not in {"0", "false", "no"}
    result.update(
        EMAIL_HOST=parts.hostname or "localhost",
        EMAIL_PORT=port,
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_SSL=ssl,
        EMAIL_USE_TLS=tls,
    )
    return result
