"""The house rules that a reader relies on, checked on the source itself (no database)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEW_MODULES = [
    *sorted((ROOT / "plans" / "views").glob("*.py")),
    *sorted((ROOT / "roles" / "views").glob("*.py")),
    *sorted((ROOT / "plans" / "api").glob("*.py")),
    *sorted((ROOT / "roles" / "api").glob("*.py")),
    ROOT / "plans" / "forms.py",
    ROOT / "roles" / "forms.py",
    *sorted((ROOT / "plans" / "templatetags").glob("*.py")),
]
ORM_CALLS = {"objects", "_raw_delete", "select_for_update", "raw", "bulk_create", "bulk_update"}
WRITE_CALLS = {"save", "delete", "get_or_create", "update_or_create", "full_clean"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_imports_nothing_from_django_nor_from_the_apps_web_code():
    for path in sorted((ROOT / "plans" / "domain").rglob("*.py")):
        for module in imported_modules(path):
            assert not module.startswith(("django", "rest_framework")), (path, module)
            assert not module.startswith(("plans.models", "plans.services", "plans.selectors"))
            assert module not in ("plans.presenters", "plans.charts"), (path, module)


def test_roles_imports_nothing_from_plans():
    for path in sorted((ROOT / "roles").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for module in imported_modules(path):
            assert not module.startswith("plans"), (path, module)


def test_no_view_form_or_template_tag_calls_the_orm():
    """Reads go through selectors, writes through services."""
    for path in VIEW_MODULES:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ORM_CALLS:
                # `Model.objects.none()` only names an empty queryset for a form or a schema.
                source = ast.get_source_segment(path.read_text(), node) or ""
                assert source.endswith(".objects") and _is_none_call(tree, node), (
                    f"{path.relative_to(ROOT)}:{node.lineno} calls the ORM ({source})"
                )


def test_no_view_form_or_template_tag_writes():
    """Writes go through services: no `.save()`, `.delete()`, `get_or_create()` at the doors."""
    for path in VIEW_MODULES:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITE_CALLS
            ):
                raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno} writes")


def _is_none_call(tree, attribute: ast.Attribute) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.value is attribute
            and node.attr in ("none", "all")
        ):
            return True
    return False


def test_no_private_django_api():
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts or path == Path(__file__):
            continue
        text = path.read_text()
        assert "._raw_delete" not in text and "._meta.pk.get_db_prep" not in text, path
