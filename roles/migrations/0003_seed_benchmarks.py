"""The shared benchmarks of DESIGN §10, with their sources (`roles.benchmarks`); existing
organizations start with the shared default reference of each metric."""

from django.db import migrations


def seed(apps, schema_editor):
    from roles.benchmarks import load_shared_benchmarks

    load_shared_benchmarks(
        apps.get_model("roles", "Benchmark"), apps.get_model("roles", "Organization")
    )


def unseed(apps, schema_editor):
    from roles.benchmarks import SEEDS

    Benchmark = apps.get_model("roles", "Benchmark")
    Benchmark.objects.filter(organization=None, name__in=[s["name"] for s in SEEDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("roles", "0002_benchmarks")]

    operations = [migrations.RunPython(seed, unseed)]
