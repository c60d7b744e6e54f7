"""The input rules of DESIGN §12, written once and asked by the models, forms, serializers and
imports alike, so the web, the API and a file import refuse the same values with the same words.

- Text: names at most 200 characters, descriptions and notes at most 5,000; no control
  characters (a tab or a line break only in multi-line text), no bidirectional overrides
  (U+202A-U+202E, U+2066-U+2069) and no zero-width characters (U+200B-U+200D, U+2060, U+FEFF).
- Numbers: JSON numbers, or text of plain ASCII decimals (`12`, `-0.5`, `3.`): no `1_000`, no
  other scripts' digits (`١٢`), no exponent (`1e3`), no sign `+`, no NaN or Infinity.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000

BIDI_CONTROLS = frozenset({*range(0x202A, 0x202F), *range(0x2066, 0x206A)})
ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF})
LINE_CHARACTERS = frozenset("\t\n\r")  # allowed in multi-line text (a browser sends \r\n)

PLAIN_DECIMAL = re.compile(r"\A-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z", re.ASCII)
PLAIN_INTEGER = re.compile(r"\A-?[0-9]+\Z", re.ASCII)


def text_problem(value: str, *, multiline: bool) -> str | None:
    """Why `value` may not be stored as text, or None."""
    for position, character in enumerate(value, start=1):
        code = ord(character)
        if multiline and character in LINE_CHARACTERS:
            continue
        if code < 0x20 or 0x7F <= code < 0xA0:
            what = "a line break or tab" if character in LINE_CHARACTERS else "a control character"
            return f"Remove {what} (U+{code:04X}, character {position}): it is not allowed here."
        if code in BIDI_CONTROLS:
            return (
                f"Remove the bidirectional override (U+{code:04X}, character {position}): it "
                "can make text read differently from what is stored."
            )
        if code in ZERO_WIDTH:
            return (
                f"Remove the invisible zero-width character (U+{code:04X}, character {position})."
            )
    return None


@deconstructible
class PlainTextValidator:
    """Refuse control, bidirectional-override and zero-width characters (see the module)."""

    code = "unsafe_text"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        problem = text_problem(value, multiline=self.multiline)
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


validate_name = PlainTextValidator(multiline=False)
validate_text = PlainTextValidator(multiline=True)


def has_nul(value: str) -> bool:
    return "\x00" in value


# --- numbers ---------------------------------------------------------------------------------

NUMBER_WORDS = (
    "A valid number is required: a JSON number, or plain ASCII digits with an optional leading "
    "minus and a dot for decimals (no '_', '+', exponent, NaN, Infinity or other scripts' digits)."
)
INTEGER_WORDS = (
    "A valid integer is required: a JSON number, or plain ASCII digits with an optional "
    "leading minus (no '_', '+', exponent or other scripts' digits)."
)


def plain_number_problem(value, *, integer: bool = False) -> str | None:
    """Why `value` (as a client sent it) is not a number in our one notation, or None."""
    if isinstance(value, bool):
        return NUMBER_WORDS
    if isinstance(value, int):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or (integer and not value.is_integer()):
            return NUMBER_WORDS
        return None
    if isinstance(value, Decimal):
        return None if value.is_finite() else NUMBER_WORDS
    if isinstance(value, str):
        pattern = PLAIN_INTEGER if integer else PLAIN_DECIMAL
        return None if pattern.match(value.strip()) and len(value) <= 40 else NUMBER_WORDS
    return NUMBER_WORDS


class PlainDecimalFormField(forms.DecimalField):
    """Django's form DecimalField, taking only plain ASCII decimals (the web's side of the
    rule: `1_000`, `١٢`, `1e3` or `+5` typed in a form are refused as the API refuses them)."""

    def to_python(self, value):
        if value not in self.empty_values and plain_number_problem(str(value)):
            raise ValidationError(NUMBER_WORDS, code="invalid")
        return super().to_python(value)
