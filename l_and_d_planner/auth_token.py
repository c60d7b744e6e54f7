"""`POST /api/v1/auth/token/`: DRF's token view, counted by django-axes like the sign-in page."""

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import parsers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from l_and_d_planner.parsers import JSONParser
from l_and_d_planner.throttles import AnonRateThrottle


class TokenSerializer(AuthTokenSerializer):
    """A username and password for a token; the answer is the token."""

    def validate(self, attrs):
        # django-axes reads and marks Django's request, not DRF's wrapper of it.
        request = self.context.get("request")
        django_request = getattr(request, "_request", request)
        self.context["request"] = django_request
        try:
            attrs = super().validate(attrs)
        finally:
            self.context["request"] = request
        # A sign-in like the page's: the failure count starts again, last_login is updated.
        user = attrs["user"]
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return attrs


@extend_schema_view(post=extend_schema(request={"application/json": TokenSerializer}))
class ObtainToken(ObtainAuthToken):
    """`POST auth/token/` with a username and password: your API token (JSON is documented;
    the form encodings of curl -d and HTML forms are accepted too).

    Failures count toward the sign-in lockout (429 once the account or address is locked)."""

    serializer_class = TokenSerializer
    authentication_classes = []  # the credentials are the body; no token needed to get one
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
