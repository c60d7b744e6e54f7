"""The readiness check of DESIGN §9: is the organisation ready for a modern mix? Pure Python.

A plan can reach 70/20/10 on paper and still fail when the organisation's *system* (rewards,
recognition, success measures, managers' focus) pays for the old way, when leaders do not model
the behaviour, or when the organisation treats its people worse than its customers.

Contract:

- The questionnaire is `QUESTIONS`, in order: each question has a stable `code` (stored with the
  answers: never rename one) and its `group` (`system`, `leadership`, `inside_outside`). Its
  wording, the group labels and the answer words are in `plans.presenters`.
- An answer is a whole number 0-4 (never ... always); a note is optional.
- A group's score, and the overall score, is the mean of the *answered* items ÷ 4 × 100, exact,
  rounded half-up to one decimal; ``None`` when nothing in it is answered. The overall score is
  the mean over all answered items (not the mean of the group scores).
- `weakest`: the three lowest answered items; ties break by questionnaire order.
- Flags: ``system_lags`` when the planned column's shape is ``modern`` and the ``system`` group
  scores under 50 — the system will pull people back to the old ways. The flag carries the
  system's score and the weakest system item, for the message that says what to do.

Answers whose code is no longer in the questionnaire are ignored, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from plans.domain.scoring import ONE_DECIMAL, to_decimal

SYSTEM = "system"
LEADERSHIP = "leadership"
INSIDE_OUTSIDE = "inside_outside"
GROUPS: tuple[str, ...] = (SYSTEM, LEADERSHIP, INSIDE_OUTSIDE)

MIN_ANSWER, MAX_ANSWER = 0, 4
ANSWERS: tuple[int, ...] = tuple(range(MIN_ANSWER, MAX_ANSWER + 1))
WEAKEST_COUNT = 3
SYSTEM_LAGS = "system_lags"
SYSTEM_RISK_BELOW = Decimal("50")
NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class Question:
    """One item of the questionnaire."""

    code: str
    group: str


QUESTIONS: tuple[Question, ...] = (
    # The system: what the organisation rewards, recognises, measures, and asks managers to do.
    Question("system_rewards", SYSTEM),
    Question("system_recognition", SYSTEM),
    Question("system_measures", SYSTEM),
    Question("system_managers", SYSTEM),
    Question("system_time", SYSTEM),
    # Leaders model: they go first.
    Question("leadership_goals", LEADERSHIP),
    Question("leadership_support", LEADERSHIP),
    Question("leadership_silos", LEADERSHIP),
    Question("leadership_social", LEADERSHIP),
    # Inside as outside: the four questions of "Is your organization being a hypocrite?".
    Question("inside_openness", INSIDE_OUTSIDE),
    Question("inside_listening", INSIDE_OUTSIDE),
    Question("inside_talent", INSIDE_OUTSIDE),
    Question("inside_experience", INSIDE_OUTSIDE),
)
QUESTIONS_BY_CODE: dict[str, Question] = {question.code: question for question in QUESTIONS}
QUESTION_ORDER: dict[str, int] = {question.code: index for index, question in enumerate(QUESTIONS)}


@dataclass(frozen=True, slots=True)
class GroupScore:
    group: str
    score: Decimal | None
    answered: int
    total: int


@dataclass(frozen=True, slots=True)
class WeakItem:
    code: str
    group: str
    answer: int


@dataclass(frozen=True, slots=True)
class Flag:
    """A risk the leader should act on: a stable code and the facts its message needs."""

    code: str
    score: Decimal | None = None  # the score of the group at risk
    start_with: str | None = None  # the code of the item to act on first


@dataclass(frozen=True, slots=True)
class ReadinessResult:
    score: Decimal | None
    groups: tuple[GroupScore, ...]
    weakest: tuple[WeakItem, ...]
    flags: tuple[Flag, ...]

    def group(self, group: str) -> GroupScore:
        return next(item for item in self.groups if item.group == group)


def answer_problem(code: object, answer: object) -> str | None:
    """Why an answer cannot be stored, as a code (`unknown_code`, `not_whole`,
    `out_of_range`), or None; `plans.presenters.answer_problem_words` words it."""
    if code not in QUESTIONS_BY_CODE:
        return "unknown_code"
    if isinstance(answer, bool) or not isinstance(answer, int):
        return "not_whole"
    if not MIN_ANSWER <= answer <= MAX_ANSWER:
        return "out_of_range"
    return None


def mean_score(answers: Iterable[int]) -> Decimal | None:
    """Mean of the answers ÷ 4 × 100, exact, half-up to one decimal; None for no answers."""
    answers = list(answers)
    if not answers:
        return None
    return to_decimal(Fraction(sum(answers) * 100, len(answers) * MAX_ANSWER), ONE_DECIMAL)


def score_from_totals(total: int, count: int) -> Decimal:
    """`mean_score` from the sum and number of the answers (as a database aggregates them)."""
    return to_decimal(Fraction(total * 100, count * MAX_ANSWER), ONE_DECIMAL)


def score_readiness(
    answers: Mapping[str, int], planned_shape: str | None = None
) -> ReadinessResult:
    """Group and overall scores, the weakest items and the flags for a plan's answers.

    `answers` maps question code to answer (0-4); unknown codes are ignored. `planned_shape` is
    the shape of the plan's planned column (`modern`, `mixed`, `training_centric` or None).
    """
    known = {code: answer for code, answer in answers.items() if code in QUESTIONS_BY_CODE}
    groups = []
    for group in GROUPS:
        codes = [question.code for question in QUESTIONS if question.group == group]
        given = [known[code] for code in codes if code in known]
        groups.append(
            GroupScore(group=group, score=mean_score(given), answered=len(given), total=len(codes))
        )
    ranked = sorted(known, key=lambda code: (known[code], QUESTION_ORDER[code]))
    weakest = tuple(
        WeakItem(
            code=code,
            group=QUESTIONS_BY_CODE[code].group,
            answer=known[code],
        )
        for code in ranked[:WEAKEST_COUNT]
    )
    flags = []
    system = next(item for item in groups if item.group == SYSTEM)
    if planned_shape == "modern" and system.score is not None and system.score < SYSTEM_RISK_BELOW:
        weakest_system = next(
            (code for code in ranked if QUESTIONS_BY_CODE[code].group == SYSTEM), None
        )
        flags.append(Flag(code=SYSTEM_LAGS, score=system.score, start_with=weakest_system))
    return ReadinessResult(
        score=mean_score(known.values()),
        groups=tuple(groups),
        weakest=weakest,
        flags=tuple(flags),
    )
