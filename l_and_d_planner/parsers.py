"""JSON request bodies with limits (its own module: DRF imports it while it loads its settings)."""

import json

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.utils.json import strict_constant


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` deep (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with limits: a body over DATA_UPLOAD_MAX_MEMORY_SIZE bytes or nested
    more than MAX_JSON_DEPTH deep is a 400 with the reason (never a RecursionError's 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        depth = settings.MAX_JSON_DEPTH
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(
                f"The request body is larger than {limit // 1024 // 1024} MB."
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=strict_constant)
        except RecursionError:
            raise exceptions.ParseError(f"JSON nested more than {depth} levels deep.") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        if json_depth_exceeds(data, depth):
            raise exceptions.ParseError(f"JSON nested more than {depth} levels deep.")
        return data
