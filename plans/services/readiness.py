"""Readiness answers: the writes of the readiness check (DESIGN §9).

Readiness answers (and roadmaps, `plans.services.roadmap`) do not move the plan's `version`: they
are not the plan's headcount, so saving them never makes a planner's open edit of the lines
stale. Like everything of a plan, they change only while it is a draft (DESIGN §12): the
`plan.readiness` rule of `roles.permissions`, asked by both doors; the services check the plan's
state again, on the plan's locked row, which also makes concurrent first saves wait for each
other instead of colliding on a unique constraint. Reads are in `plans.selectors`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from plans import presenters, selectors
from plans.domain import readiness
from plans.models import Plan, ReadinessAnswer
from roles import permissions


def ensure_not_archived(plan: Plan) -> None:
    """Refuse changes to the readiness and roadmap of a plan that is not a draft (the one rule
    of `roles.permissions`: read-only means read-only)."""
    permissions.ensure_plan_editable(plan)


def lock_editable_plan(plan: Plan) -> Plan:
    """Lock the plan's row until the transaction ends and check it may change.

    Concurrent writes of one plan's readiness or roadmap queue here: the second sees what the
    first stored (no unique-constraint collision on a first save), and a status move made
    meanwhile is seen.
    """
    locked = selectors.plan_for_update(plan.pk)
    ensure_not_archived(locked)
    return locked


def _answer_errors(answers: list[Mapping]) -> dict[str, list[str]]:
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(answers):
        code, answer = item.get("code"), item.get("answer")
        problem = readiness.answer_problem(code, answer)
        if problem is not None:
            problem = presenters.answer_problem_words(problem, code, answer)
        if problem is None and code in seen:
            problem = f"{code}: answered twice."
        note = item.get("note") or ""
        if problem is None and (not isinstance(note, str) or len(note) > readiness.NOTE_MAX_LENGTH):
            problem = f"{code}: the note must be text of at most {readiness.NOTE_MAX_LENGTH}."
        if problem:
            problems.append(f"Item {index + 1}: {problem}")
        seen.add(code)
    return {"answers": problems} if problems else {}


@transaction.atomic
def readiness_answers_save(*, plan: Plan, answers: list[Mapping], user=None) -> None:
    """Replace the plan's answers with `answers` ([{code, answer, note}]), all or nothing.

    Questions not in `answers` become unanswered. Any unknown code, answer outside 0-4,
    duplicate or over-long note raises ValidationError and stores nothing. Unchanged answers are
    not re-saved, so the audit history shows only real changes.
    """
    plan = lock_editable_plan(plan)
    errors = _answer_errors(answers)
    if errors:
        raise ValidationError(errors)
    existing = {item.code: item for item in ReadinessAnswer.objects.filter(plan=plan)}
    wanted = {item["code"]: item for item in answers}
    for code, stored in existing.items():
        if code not in wanted:
            stored.delete()
    for code, item in wanted.items():
        note = item.get("note") or ""
        stored = existing.get(code)
        if stored is not None and (stored.answer, stored.note) == (item["answer"], note):
            continue
        stored = stored or ReadinessAnswer(plan=plan, code=code)
        stored.answer, stored.note, stored.updated_by = item["answer"], note, user
        stored.full_clean(exclude=["plan"])
        stored.save()
