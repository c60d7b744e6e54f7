"""The words of the members page, invitations, erasure and the audit log.

`roles` is the ground floor (it imports nothing from `plans`), so the words of its own pages live
here rather than in `plans/presenters.py`; they follow the same habits (one place per sentence,
no words in views or templates' logic).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format

from roles.models import INVITATION_LIFETIME_DAYS, MembershipRole

ROLE_WORDS = {
    MembershipRole.ADMIN: "Admin",
    MembershipRole.PLANNER: "Planner",
    MembershipRole.VIEWER: "Viewer",
}

INVITATION_STATE_WORDS = {
    "pending": "waiting",
    "accepted": "accepted",
    "revoked": "withdrawn",
    "expired": "expired",
}

NEVER_SIGNED_IN = "never"


def role_word(role: str) -> str:
    return ROLE_WORDS.get(role, role)


def last_sign_in(moment: datetime | None) -> str:
    """When a member last signed in, as people read it ("never" for a new account)."""
    if moment is None:
        return NEVER_SIGNED_IN
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def invitation_state_word(state: str) -> str:
    return INVITATION_STATE_WORDS.get(state, state)


def invitation_email(*, organization_name: str, role: str, link: str, invited_by: str) -> tuple:
    """(subject, body) of the invitation email."""
    subject = f"You are invited to {organization_name} on L&D Planner"
    body = (
        f"{invited_by or 'An admin'} invited you to join {organization_name} on L&D Planner "
        f"as {role_word(role).lower()}.\n\n"
        f"Accept the invitation here (the link works once, for {INVITATION_LIFETIME_DAYS} "
        f"days):\n\n{link}\n\n"
        "If you did not expect this email, ignore it: nothing happens unless the link is used.\n"
    )
    return subject, body


def invitation_created_message(email: str, mailed: bool) -> str:
    if mailed:
        return f"Invitation mailed to {email}."
    return (
        f"Invitation for {email} created. No outgoing mail server is configured: copy the link "
        "below and send it yourself. It is shown only now."
    )


def member_role_changed_message(username: str, role: str) -> str:
    return f"{username} is now {role_word(role).lower()}."


def member_removed_message(username: str) -> str:
    return f"{username} is no longer a member."


def invitation_revoked_message(email: str) -> str:
    return f"The invitation for {email} was withdrawn."


def member_erased_message(pseudonym: str) -> str:
    return f"The account was erased: it appears as {pseudonym} from now on."


def joined_message(organization_name: str, role: str) -> str:
    return f"Welcome to {organization_name}: you are {role_word(role).lower()}."


ERASE_RULE = (
    "You can erase a former member: someone who was a member of this organization, is no "
    "longer, and belongs to no organization you do not administer. Their account is "
    "deactivated, signed out everywhere and its API tokens end; their name and email are "
    "replaced by a pseudonym everywhere in the history. Plans and their numbers stay."
)


def pseudonym_for(user_id: int) -> str:
    """The name an erased account carries from then on (unique, says nothing about them)."""
    return f"erased-user-{user_id}"


# --- audit log -------------------------------------------------------------------------------

AUDIT_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
IMPORT_TYPE = "import"
IMPORT_TYPE_WORD = "Imports"
AUDIT_HIDDEN_FIELDS = frozenset({"id", "token_hash", "version"})
AUDIT_LABEL_FIELDS = ("name", "title", "email", "question_key", "key")
AUDIT_CSV_COLUMNS = ["when", "who", "type", "object", "action", "field", "old", "new", "reason"]
EMPTY = "–"


def audit_type_word(source) -> str:
    """An audited model's name as people read it ("Plan line")."""
    return str(source.model._meta.verbose_name).capitalize()


def audit_type_choices(sources) -> list[tuple[str, str]]:
    """The type filter's options: every audited model, then imports."""
    choices = sorted(
        ((key, audit_type_word(source)) for key, source in sources.items()), key=lambda c: c[1]
    )
    return [*choices, (IMPORT_TYPE, IMPORT_TYPE_WORD)]


def audit_value(value) -> str:
    """A stored value as text: "–" for nothing, yes/no, plain decimals, JSON as key value."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items()) or EMPTY
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return str(value)


def _field_label(history_model, name: str) -> str:
    try:
        field = history_model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _tracked_field_names(record) -> list[str]:
    return [
        field.name
        for field in record.tracked_fields
        if field.editable and field.name not in AUDIT_HIDDEN_FIELDS
    ]


def _field_value(record, name: str):
    field = record._meta.get_field(name)
    return getattr(record, field.attname)


def _shown(history, name: str, value, related: dict) -> str:
    """A field's value; a foreign key as the name of what it points at ("Trainer"), else #id."""
    field = history._meta.get_field(name)
    if field.is_relation and value is not None and field.related_model is not None:
        return related.get((field.related_model._meta.label, value), f"#{value}")
    return audit_value(value)


def audit_changes(item, related: dict | None = None) -> list[tuple[str, str, str]]:
    """(field, old, new) for one audit record: every field of a creation or deletion, the
    changed fields of a change (simple-history's diff_against on the previous row).
    `related` names the objects foreign keys point at (selectors.audit_related_labels)."""
    related = related or {}
    record, previous, history = item.record, item.previous, item.source.history

    def row(name, old, new):
        return (
            _field_label(history, name),
            EMPTY if old is ABSENT else _shown(history, name, old, related),
            EMPTY if new is ABSENT else _shown(history, name, new, related),
        )

    if record.history_type == "~" and previous is not None:
        delta = record.diff_against(previous, excluded_fields=AUDIT_HIDDEN_FIELDS)
        return [row(change.field, change.old, change.new) for change in delta.changes]
    names = _tracked_field_names(record)
    if record.history_type == "-":
        return [row(name, _field_value(record, name), ABSENT) for name in names]
    return [
        row(name, ABSENT, _field_value(record, name))
        for name in names
        if _field_value(record, name) not in (None, "", {}, [])
    ]


ABSENT = object()  # no value on that side (before a creation, after a deletion)


def _first_relation_label(record, related: dict) -> str:
    """A row without a name of its own is named by what it links (a membership's user)."""
    for field in record._meta.concrete_fields:
        if field.is_relation and field.name != "history_user" and field.related_model:
            value = getattr(record, field.attname)
            label = related.get((field.related_model._meta.label, value))
            if label:
                return label
    return ""


def audit_object(item, related: dict | None = None) -> str:
    """The object an entry is about: its type, id and (when it has one) its own name."""
    record = item.record
    label = next(
        (
            str(getattr(record, name))
            for name in AUDIT_LABEL_FIELDS
            if getattr(record, name, None) not in (None, "")
        ),
        "",
    )
    base = f"{audit_type_word(item.source)} #{record.id}"
    if not label and related:
        label = _first_relation_label(record, related)
    return f"{base} ({label})" if label else base


def audit_who(record) -> str:
    user = record.history_user
    return user.get_username() if user is not None else "system"


def audit_entry(item) -> dict:
    """One audit entry as the page, the API and the CSV show it."""
    record = item.record
    related = item.related
    reason = record.history_change_reason or ""
    return {
        "id": f"{item.source.key}:{record.history_id}",
        "when": record.history_date,
        "who": audit_who(record),
        "type": item.source.key,
        "type_word": audit_type_word(item.source),
        "object_id": record.id,
        "object": audit_object(item, related),
        "action": AUDIT_ACTIONS.get(record.history_type, record.history_type),
        "is_import": reason.startswith("import from "),
        "reason": reason,
        "changes": [
            {"field": field, "old": old, "new": new}
            for field, old, new in audit_changes(item, related)
        ],
    }


def audit_csv_rows(entry: dict) -> list[list[str]]:
    """The CSV rows of an entry: one per changed field (one with blank fields if none)."""
    head = [
        audit_value(entry["when"]),
        entry["who"],
        entry["type_word"],
        entry["object"],
        entry["action"],
    ]
    changes = entry["changes"] or [{"field": "", "old": "", "new": ""}]
    return [
        [*head, change["field"], change["old"], change["new"], entry["reason"]]
        for change in changes
    ]
