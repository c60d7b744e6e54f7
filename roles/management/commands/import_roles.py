"""`manage.py import_roles FILE --organization SLUG`: load an organization's catalog from a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from l_and_d_planner.tabular import ImportRejected
from roles.selectors import organization_by_slug, user_by_username
from roles.services import role_import, role_import_preview


class Command(BaseCommand):
    help = (
        "Create and update an organization's roles from a CSV or XLSX file (columns title, "
        "discipline, annual_cost, experiential_percent, social_percent, formal_percent, "
        "description, active). All or nothing: any bad row and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument("--organization", required=True, help="The organization's slug.")
        parser.add_argument("--user", help="Username recorded in the history as the importer.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )

    def handle(self, *args, **options):
        path = import_file_path(options["file"])
        organization = organization_by_slug(options["organization"])
        if organization is None:
            raise CommandError(f"No organization with the slug '{options['organization']}'.")
        user = importing_user(options["user"])
        content = path.read_bytes()
        try:
            if options["dry_run"]:
                summary = role_import_preview(
                    organization=organization, filename=path.name, content=content
                )
            else:
                summary = role_import(
                    organization=organization, filename=path.name, content=content, user=user
                )
        except ImportRejected as rejected:
            report_errors(self.stderr, rejected)
            raise CommandError(f"{path.name} was not imported: nothing was written.") from None
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {path.name} into {organization.slug}: {summary.created} created, "
                f"{summary.updated} updated, {summary.unchanged} unchanged."
            )
        )


def import_file_path(raw: str) -> Path:
    """The file to import, or a CommandError saying it is not there."""
    path = Path(raw)
    if not path.is_file():
        raise CommandError(f"No file at {path}.")
    return path


def importing_user(username: str | None):
    """The user recorded in the history as the importer (none when not given)."""
    if not username:
        return None
    user = user_by_username(username)
    if user is None:
        raise CommandError(f"No user named '{username}'.")
    return user


def report_errors(stream, rejected: ImportRejected) -> None:
    """One line per problem: `row 7, column current_fte: reason`."""
    for error in rejected.errors:
        where = f"row {error.row}" if error.row is not None else "file"
        if error.column:
            where += f", column {error.column}"
        stream.write(f"{where}: {error.reason}")
