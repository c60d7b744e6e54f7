"""`manage.py seed_demo`: load the demo organization, accounts and sample plans."""

from django.core.management.base import BaseCommand

from plans.services.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo organization, its accounts (admin, planner, viewer) and two plans."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Generate new passwords for the demo accounts and print them.",
        )

    def handle(self, *args, **options):
        result = demo_load(reset_passwords=options["reset_passwords"])
        organization = result["organization"]
        self.stdout.write(f"Demo organization: {organization.name} ({organization.slug})")
        for plan in result["plans"]:
            self.stdout.write(f"Plan #{plan.id}: {plan.name}")
        if result["credentials"]:
            self.stdout.write(self.style.SUCCESS("Demo accounts (passwords generated now):"))
            for username, password in result["credentials"].items():
                self.stdout.write(f"  {username:8} {password}")
        else:
            self.stdout.write(
                "Demo accounts already exist; run `manage.py seed_demo --reset-passwords` "
                "to print new passwords."
            )
