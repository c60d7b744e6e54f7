"""The readiness check of DESIGN §9: is the organisation ready for a modern mix? Pure Python.

A plan can reach 70/20/10 on paper and still fail when the organisation's *system* (rewards,
recognition, success measures, managers' focus) pays for the old way, when leaders do not model
the behaviour, or when the organisation treats its people worse than its customers.

Contract:

- The questionnaire is `QUESTIONS`: each question has a stable `code` (stored with the answers:
  never rename one), its `group` (`system`, `leadership`, `inside_outside`) and its wording.
- An answer is a whole number 0-4 (`ANSWER_SCALE`: never ... always); a note is optional.
- A group's score, and the overall score, is the mean of the *answered* items ÷ 4 × 100, exact,
  rounded half-up to one decimal; ``None`` when nothing in it is answered. The overall score is
  the mean over all answered items (not the mean of the group scores).
- `weakest`: the three lowest answered items; ties break by questionnaire order.
- Flags: ``system_lags`` when the planned column's shape is ``modern`` and the ``system`` group
  scores under 50 — the system will pull people back to the old ways.

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
GROUP_LABELS = {
    SYSTEM: "The system: rewards, recognition, measures, managers",
    LEADERSHIP: "Leaders model the behaviour",
    INSIDE_OUTSIDE: "Inside as outside: people treated like customers",
}

MIN_ANSWER, MAX_ANSWER = 0, 4
ANSWER_SCALE: dict[int, str] = {0: "Never", 1: "Rarely", 2: "Sometimes", 3: "Often", 4: "Always"}
WEAKEST_COUNT = 3
SYSTEM_RISK_BELOW = Decimal("50")
NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class Question:
    """One item of the questionnaire."""

    code: str
    group: str
    question: str


QUESTIONS: tuple[Question, ...] = (
    # The system: what the organisation rewards, recognises, measures, and asks managers to do.
    Question(
        "system_rewards",
        SYSTEM,
        "Do pay, bonuses and promotions reward people who share what they know and help "
        "colleagues learn on the job?",
    ),
    Question(
        "system_recognition",
        SYSTEM,
        "Is sharing knowledge, answering questions and helping others learn recognised in "
        "public, as visibly as hitting targets?",
    ),
    Question(
        "system_measures",
        SYSTEM,
        "Are L&D and the teams judged by performance and learning in the work, rather than by "
        "course completions and training hours?",
    ),
    Question(
        "system_managers",
        SYSTEM,
        "Are managers expected, and measured, to support and grow their people rather than to "
        "direct and control them?",
    ),
    Question(
        "system_time",
        SYSTEM,
        "Do people have room in their working week to look things up, ask experts and share "
        "what they learned, without it counting against them?",
    ),
    # Leaders model: they go first.
    Question(
        "leadership_goals",
        LEADERSHIP,
        "Do leaders tell their people what they themselves are trying to learn, and what gets "
        "in their way?",
    ),
    Question(
        "leadership_support",
        LEADERSHIP,
        "Do leaders ask their own people for support in their efforts, and ask about the "
        "barriers their people face?",
    ),
    Question(
        "leadership_silos",
        LEADERSHIP,
        "Do leaders work openly across departments and silos, and let others see them do it?",
    ),
    Question(
        "leadership_social",
        LEADERSHIP,
        "Do leaders take part themselves in the communities and social spaces, rather than "
        "only sponsoring them?",
    ),
    # Inside as outside: the four questions of "Is your organization being a hypocrite?".
    Question(
        "inside_openness",
        INSIDE_OUTSIDE,
        "We build trust with customers and partners and meet them halfway: are we as open to "
        "the ideas of the people we lead, and as sincere with them?",
    ),
    Question(
        "inside_listening",
        INSIDE_OUTSIDE,
        "We listen to the market to learn what customers want and need: do we listen to our "
        "own employees in the same way?",
    ),
    Question(
        "inside_talent",
        INSIDE_OUTSIDE,
        "We look for talent everywhere outside the company: do we see the different skills of "
        "the people we already have and open new opportunities for them?",
    ),
    Question(
        "inside_experience",
        INSIDE_OUTSIDE,
        "We give customers products that just work: do our people get the same care — work "
        "clearly tied to goals, tools that work, and work with a purpose?",
    ),
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
    question: str
    answer: int


@dataclass(frozen=True, slots=True)
class Flag:
    """A risk the leader should act on: a stable code and a message saying what to do."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ReadinessResult:
    score: Decimal | None
    groups: tuple[GroupScore, ...]
    weakest: tuple[WeakItem, ...]
    flags: tuple[Flag, ...]

    def group(self, group: str) -> GroupScore:
        return next(item for item in self.groups if item.group == group)


def answer_problem(code: object, answer: object) -> str | None:
    """Why an answer cannot be stored (unknown code, not a whole number 0-4), or None."""
    if code not in QUESTIONS_BY_CODE:
        return f"Unknown question code {code!r}."
    if isinstance(answer, bool) or not isinstance(answer, int):
        return f"{code}: give a whole number from {MIN_ANSWER} to {MAX_ANSWER}."
    if not MIN_ANSWER <= answer <= MAX_ANSWER:
        return f"{code}: {answer} is outside {MIN_ANSWER}-{MAX_ANSWER}."
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


def system_lags_message(system_score: Decimal, weakest_system: Question | None) -> str:
    start_with = f" Start with the weakest: “{weakest_system.question}”" if weakest_system else ""
    return (
        f"The planned mix is modern, but the system scores only {system_score} out of 100: "
        "rewards, recognition, success measures and managers' focus still pay for the old way, "
        "and the system will pull people right back to it. Before moving people, agree with HR "
        "and the executive team what will be rewarded, recognised and measured, and make "
        f"supporting people's growth part of every manager's objectives.{start_with}"
    )


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
            question=QUESTIONS_BY_CODE[code].question,
            answer=known[code],
        )
        for code in ranked[:WEAKEST_COUNT]
    )
    flags = []
    system = next(item for item in groups if item.group == SYSTEM)
    if planned_shape == "modern" and system.score is not None and system.score < SYSTEM_RISK_BELOW:
        weakest_system = next(
            (QUESTIONS_BY_CODE[code] for code in ranked if QUESTIONS_BY_CODE[code].group == SYSTEM),
            None,
        )
        flags.append(
            Flag(code="system_lags", message=system_lags_message(system.score, weakest_system))
        )
    return ReadinessResult(
        score=mean_score(known.values()),
        groups=tuple(groups),
        weakest=weakest,
        flags=tuple(flags),
    )
