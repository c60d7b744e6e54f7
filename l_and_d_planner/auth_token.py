"""`POST /api/v1/auth/token/`: DRF's token view, counted by django-axes like the sign-in page."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import parsers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from l_and_d_planner.parsers import JSONParser


class TokenSerializer(AuthTokenSerializer):
    """DRF's username/password check, given Django's request so that django-axes counts it."""

    def validate(self, attrs):
        request = self.context.get("request")
        self.context["request"] = getattr(request, "_request", request)
        try:
            return super().validate(attrs)
        finally:
            self.context["request"] = request


@extend_schema_view(post=extend_schema(request={"application/json": TokenSerializer}))
class ObtainToken(ObtainAuthToken):
    """`POST auth/token/` with a username and password: your API token (JSON is documented;
    the form encodings of curl -d and HTML forms are accepted too).

    Failures count toward the sign-in lockout (429 once the account or address is locked)."""

    serializer_class = TokenSerializer
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
