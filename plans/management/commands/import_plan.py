"""`manage.py import_plan FILE --plan ID`: replace a plan's lines with a file's."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from l_and_d_planner.tabular import ImportRejected
from plans.selectors import plan_by_id
from plans.services.imports import plan_import, plan_import_preview
from roles.management.commands.import_roles import (
    import_file_path,
    importing_user,
    report_errors,
)


class Command(BaseCommand):
    help = (
        "Replace a plan's lines with a CSV or XLSX file's (columns role, current_fte, "
        "planned_fte, optionally locked, note). All or nothing: any bad row and nothing is "
        "written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument("--plan", required=True, type=int, help="The plan's id.")
        parser.add_argument("--user", help="Username recorded in the history as the importer.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )

    def handle(self, *args, **options):
        path = import_file_path(options["file"])
        plan = plan_by_id(options["plan"])
        if plan is None:
            raise CommandError(f"No plan with the id {options['plan']}.")
        user = importing_user(options["user"])
        content = path.read_bytes()
        try:
            if options["dry_run"]:
                summary = plan_import_preview(plan=plan, filename=path.name, content=content)
            else:
                summary = plan_import(plan=plan, filename=path.name, content=content, user=user)
        except ImportRejected as rejected:
            report_errors(self.stderr, rejected)
            raise CommandError(f"{path.name} was not imported: nothing was written.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {path.name} into plan {plan.pk} ({plan.name}): {summary.created} "
                f"created, {summary.updated} updated, {summary.deleted} deleted, "
                f"{summary.unchanged} unchanged; the plan is at version {plan.version}."
            )
        )
