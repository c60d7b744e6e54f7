"""DRF fields that read numbers by the one rule of `l_and_d_planner.validation`: JSON numbers or
plain ASCII decimals only, as the imports read them."""

from django.db import models
from rest_framework import serializers

from l_and_d_planner.validation import INTEGER_WORDS, NUMBER_WORDS, plain_number_problem


class PlainDecimalField(serializers.DecimalField):
    """DRF's DecimalField, taking only JSON numbers or plain ASCII decimals."""

    def to_internal_value(self, data):
        if plain_number_problem(data):
            self.fail("invalid")
        return super().to_internal_value(data)

    default_error_messages = {"invalid": NUMBER_WORDS}


class PlainIntegerField(serializers.IntegerField):
    """DRF's IntegerField, taking only JSON numbers or plain ASCII digits."""

    default_error_messages = {"invalid": INTEGER_WORDS}

    def to_internal_value(self, data):
        if plain_number_problem(data, integer=True):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlainNumbersModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated number fields follow the one notation rule too."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.IntegerField: PlainIntegerField,
        models.SmallIntegerField: PlainIntegerField,
        models.BigIntegerField: PlainIntegerField,
        models.PositiveIntegerField: PlainIntegerField,
        models.PositiveSmallIntegerField: PlainIntegerField,
        models.PositiveBigIntegerField: PlainIntegerField,
        models.DecimalField: PlainDecimalField,
    }
