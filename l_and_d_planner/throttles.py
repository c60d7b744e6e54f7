"""The API's throttles (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]), counted in Django's
cache: per address without a token, per user with one."""

from rest_framework import throttling


class RatesFromSettings:
    """DRF's throttles read their rates once, at import; these read them on each request, so a
    deployment (or a test) changes them through settings alone."""

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(RatesFromSettings, throttling.AnonRateThrottle):
    """Requests without a token or session, per address (`anon` rate)."""


class UserRateThrottle(RatesFromSettings, throttling.UserRateThrottle):
    """Requests of a signed-in user or token (`user` rate)."""
