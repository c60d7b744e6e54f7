"""Load the ten disciplines, the shared role catalog and the built-in 70/20/10 target model."""

from django.db import migrations


def load(apps, schema_editor):
    from roles.catalog import load_standard_catalog

    load_standard_catalog(
        apps.get_model("roles", "Discipline"),
        apps.get_model("roles", "Role"),
        apps.get_model("plans", "TargetModel"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_initial"),
        ("roles", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
