"""The words and rows people read: one place, so every page, export and API message agrees.

The planner, the compare page, the report, the CSV/XLSX exports and the API messages take their
labels from here; the pure maths (`plans.domain`) returns codes and numbers only. A test renders
each surface and checks that the same fact is worded the same way everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plans.domain import readiness, roadmap
from plans.domain.rebalancing import AIMS, MODES, Action, RebalanceInputError, Suggestion
from plans.domain.types import BandScore, ColumnScore, PlanScore, TargetInput
from roles.bands import BAND_SHORT_LABELS, BAND_WORDS, BANDS, Band

NO_VALUE = "–"
MINUS = "−"

# --- score words -----------------------------------------------------------------------------

SHAPE_WORDS = {
    "modern": "modern",
    "mixed": "mixed",
    "training_centric": "training-centric",
    None: "not scored (no FTE)",
}
BAND_STATUS_WORDS = {"under": "under target", "on_target": "on target", "over": "over target"}
ORDERING_LABEL = "Most ≥ Much ≥ Some"
MOVES_LABEL = "FTE to move"
SCORE_LABEL = "Score (0–100)"
SHAPE_LABEL = "Shape"
# The labels of the score's facts, the same on every surface (templates read them as `labels`).
LABELS = {
    "score": SCORE_LABEL,
    "shape": SHAPE_LABEL,
    "ordering": ORDERING_LABEL,
    "moves": MOVES_LABEL,
    "total_fte": "Total FTE",
    "cost": "Annual cost",
    "gap": "Planned gap (FTE)",
}
COLUMN_LABELS = {"current": "Current", "planned": "Planned"}
STATUS_ACTIONS = {
    "draft": "Reopen as draft",
    "in_review": "Submit for review",
    "approved": "Approve",
    "archived": "Archive",
}
COLUMN_REASON_WORDS = {"no_fte": "No FTE in this column yet: add headcount to score it."}
BADGE_GOOD_FROM = Decimal("75")
BADGE_FAIR_FROM = Decimal("50")


def shape_words(shape: str | None) -> str:
    """`training_centric` -> 'training-centric'; None -> 'not scored (no FTE)'."""
    return SHAPE_WORDS.get(shape, str(shape))


def band_status_words(status: str | None) -> str:
    return BAND_STATUS_WORDS.get(status, NO_VALUE)


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def percent_text(share: Decimal | None) -> str:
    """A share (fraction) as percent text: 0.6250 -> '62.5%'; None -> 'no FTE'."""
    if share is None:
        return "no FTE"
    value = (share * 100).quantize(Decimal("0.1"))
    text = f"{value:f}".rstrip("0").rstrip(".")
    return f"{text}%"


def percent_number(share: Decimal | None) -> Decimal | None:
    """A share as a percent number for sheets: 0.625 -> 62.5."""
    return None if share is None else (share * 100).quantize(Decimal("0.1"))


def signed(delta: Decimal | None, places: str = "0.1") -> str:
    """+1.5 / −1.0 / 0.0 with a real minus sign; None -> an en dash."""
    if delta is None:
        return NO_VALUE
    value = Decimal(delta).quantize(Decimal(places))
    if value == 0:
        return f"{abs(value):f}"
    return f"{value:+f}".replace("-", MINUS)


def signed_fte(delta: Decimal | None) -> str:
    return signed(delta, "0.1")


def signed_money(delta: Decimal | None) -> str:
    """+12,500 / −3,000 (whole currency units, thousands separated)."""
    if delta is None:
        return NO_VALUE
    value = Decimal(delta).quantize(Decimal("1"))
    if value == 0:
        return "0"
    return f"{value:+,f}".replace("-", MINUS)


def column_reason(column: ColumnScore) -> str | None:
    """Why a column has no score, in words (None when it has one)."""
    return COLUMN_REASON_WORDS.get(column.reason, column.reason) if column.reason else None


def score_badge(score: Decimal | None) -> str:
    """CSS class of a score badge: good (75+), fair (50+), poor, or none."""
    if score is None:
        return ""
    if score >= BADGE_GOOD_FROM:
        return "good"
    if score >= BADGE_FAIR_FROM:
        return "fair"
    return "poor"


def band_row(band: Band, current: BandScore, planned: BandScore) -> dict:
    """One band of a plan as every surface shows it (planner, compare, report, XLSX)."""
    return {
        "band": band,
        "code": band.value,
        "label": BAND_SHORT_LABELS[band],
        "word": BAND_WORDS[band],
        "target": current.target,
        "target_pct": percent_text(current.target),
        "target_percent": percent_number(current.target),
        "current": current,
        "current_pct": percent_text(current.share),
        "current_percent": percent_number(current.share),
        "current_status": band_status_words(current.status),
        "planned": planned,
        "planned_pct": percent_text(planned.share),
        "planned_percent": percent_number(planned.share),
        "planned_status": band_status_words(planned.status),
        "gap": signed_fte(planned.gap_fte),
    }


def band_rows(score: PlanScore) -> list[dict]:
    return [band_row(band, score.current.band(band), score.planned.band(band)) for band in BANDS]


def column_summary(name: str, column: ColumnScore) -> dict:
    """One column (current or planned) with its words."""
    return {
        "name": COLUMN_LABELS.get(name, name),
        "column": column,
        "score": column.score,
        "badge": score_badge(column.score),
        "shape": shape_words(column.shape),
        "ordering": yes_no(column.ordering_holds),
        "moves": column.moves_needed_fte,
        "reason": column_reason(column),
    }


def chart_description(current: ColumnScore, planned: ColumnScore, target: TargetInput) -> str:
    """The band chart in words, for screen readers and as the visible text alternative."""
    tolerance = percent_text(target.tolerance).rstrip("%")
    parts = []
    for band in BANDS:
        parts.append(
            f"{BAND_SHORT_LABELS[band]} ({BAND_WORDS[band]}): "
            f"current {percent_text(current.band(band).share)}, "
            f"planned {percent_text(planned.band(band).share)}, "
            f"target {percent_text(target.targets[band])} ± {tolerance} points."
        )
    parts.append(
        f"Shape: current {shape_words(current.shape)}, planned {shape_words(planned.shape)}."
    )
    return " ".join(parts)


def score_sheet_rows(*, plan, target_model_name: str, score: PlanScore) -> list[list]:
    """The XLSX "Score" sheet: the plan, each column's score, and the band summary."""
    columns = (score.current, score.planned)
    rows: list[list] = [
        ["Plan", plan.name],
        ["Organization", plan.organization.name],
        ["Status", plan.get_status_display()],
        ["Target model", target_model_name],
        ["Version", plan.version],
        [],
        ["", COLUMN_LABELS["current"], COLUMN_LABELS["planned"]],
        [SCORE_LABEL, *[column.score for column in columns]],
        [SHAPE_LABEL, *[shape_words(column.shape) for column in columns]],
        [ORDERING_LABEL, *[yes_no(column.ordering_holds) for column in columns]],
        [LABELS["total_fte"], *[column.total_fte for column in columns]],
        [MOVES_LABEL, *[column.moves_needed_fte for column in columns]],
        [LABELS["cost"], *[column.cost for column in columns]],
        [],
        [
            "Band",
            "Target %",
            "Current FTE",
            "Current %",
            "Current status",
            "Planned FTE",
            "Planned %",
            "Planned status",
            LABELS["gap"],
        ],
    ]
    for row in band_rows(score):
        rows.append(
            [
                row["label"],
                row["target_percent"],
                row["current"].fte,
                row["current_percent"],
                row["current_status"] if row["current"].status else "",
                row["planned"].fte,
                row["planned_percent"],
                row["planned_status"] if row["planned"].status else "",
                row["planned"].gap_fte,
            ]
        )
    return rows


def labels(request) -> dict:
    """Context processor: the score's labels and band words on every page."""
    return {"labels": LABELS}


# --- suggestions (rebalancing) ---------------------------------------------------------------
# Reasons, binding constraints and the summary line of the suggestions panel and API.

BINDING_REASONS = {
    "locked_lines": "Locked lines (or roles split across bands, which suggestions keep) "
    "hold FTE in a band over target.",
    "compliance_floor": "The compliance floor keeps more formal FTE than the target wants.",
    "headcount_cap": "The headcount cap stops the additions the target needs.",
    "budget_cap": "The budget cap does not pay for the mix the target needs: raise the cap "
    "or lower costs.",
    "grow_to": "The headcount cap (or the roles there are to grow) stops the plan reaching the "
    "size asked for: raise the cap or ask for less.",
    "no_role": "A band under target has no role to grow: add one to the catalog.",
    "step": "The step is too coarse for this plan: try a smaller one.",
    "mode": "The mode's own rule (total unchanged, or additions only) stops the target.",
}


def plural(count, one: str, many: str | None = None) -> str:
    """'1 FTE', '1 point', '2 points': the count and the word, singular only for exactly 1."""
    many = many if many is not None else f"{one}s"
    return f"{count} {one if Decimal(count) == 1 else many}"


def money(amount: Decimal | None, currency: str = "") -> str:
    """880,000 EUR (whole units, thousands separated); None -> an en dash."""
    if amount is None:
        return NO_VALUE
    text = f"{Decimal(amount).quantize(Decimal('1')):,f}".replace("-", MINUS)
    return f"{text} {currency}".strip()


def fte_text(value: Decimal) -> str:
    """FTE with one decimal: 12.0 FTE (FTE is not pluralised)."""
    return f"{Decimal(value).quantize(Decimal('0.1')):f} FTE"


def _over_cap(suggestion: Suggestion) -> Decimal | None:
    """How far the plan's cost is over its budget cap before the suggestion (budget mode)."""
    cap = suggestion.budget_cap
    if cap is None or suggestion.before.cost <= cap:
        return None
    return suggestion.before.cost - cap


def suggestion_reason(action: Action, suggestion: Suggestion, currency: str = "") -> str:
    """Why the engine moves this line, in one sentence a person can act on."""
    label = BAND_SHORT_LABELS[action.band]
    points = action.points_off_target
    code = action.reason_code
    if code == "below_compliance_floor":
        return (
            f"Compliance floor {fte_text(suggestion.compliance_floor)}: "
            f"formal is {fte_text(suggestion.compliance_floor - suggestion.before.band(Band.FORMAL).fte)} below it."
        )
    if code == "under_target":
        return f"{label} is {plural(-points, 'point')} under its target."
    if code == "keeps_share":
        return f"{label} needs more FTE to keep its share as the department changes."
    if code == "over_target":
        reason = f"{label} is {plural(points, 'point')} over its target."
        over = _over_cap(suggestion)
        if over is not None:
            cap = money(suggestion.budget_cap, currency)
            reason += f" Budget cap {cap}: {money(over, currency)} over."
        return reason
    if code == "frees_budget":
        over = _over_cap(suggestion)
        if over is not None:
            return (
                f"Budget cap {money(suggestion.budget_cap, currency)}: "
                f"{money(over, currency)} over; {label.lower()} roles cost the most here."
            )
        return f"Frees budget for the bands under target: {label.lower()} roles cost the most here."
    return f"{label} gives up FTE so that the bands under target can grow."  # makes_room


WARNING_WORDS = {
    "removes_much": "This removes {fte} of {before} planned ({share}): more than a fifth of the "
    "department. Check it with the people concerned before applying it.",
    "adds_much": "This adds {fte} to {before} planned ({share}): more than half again the "
    "department. Check the hiring plan and budget before applying it.",
}


def suggestion_warnings(suggestion: Suggestion) -> list[dict]:
    """The warnings a leader must see, as {code, message}."""
    before = suggestion.before.total_fte
    rows = []
    for code in suggestion.warnings:
        fte = suggestion.fte_removed if code == "removes_much" else suggestion.fte_added
        share = percent_text(fte / before) if before else NO_VALUE
        message = WARNING_WORDS[code].format(
            fte=fte_text(fte), before=fte_text(before), share=share
        )
        rows.append({"code": code, "message": message})
    return rows


def budget_flag(budget_cap: Decimal | None, planned_cost: Decimal | None, currency: str):
    """'Budget cap 880,000 EUR: 23,000 EUR over' when the planned cost is above the cap."""
    if budget_cap is None or planned_cost is None or planned_cost <= budget_cap:
        return None
    over = planned_cost - budget_cap
    return f"Budget cap {money(budget_cap, currency)}: {money(over, currency)} over"


def action_row(action: Action, suggestion: Suggestion, currency: str = "") -> dict:
    """One suggested change with signed words: +1.5 / −1.0 FTE, +/− cost."""
    return {
        "action": action,
        "reason": suggestion_reason(action, suggestion, currency),
        "delta_text": signed_fte(action.delta),
        "cost_delta_text": signed_money(action.cost_delta),
    }


def rebalance_input_message(error: RebalanceInputError) -> str:
    """The 400 message of a bad mode or step."""
    if error.code == "unknown_mode":
        return f"Use one of {', '.join(MODES)}."
    if error.code == "unknown_aim":
        return f"Use one of {', '.join(AIMS)}."
    if error.code == "not_a_number":
        return f"'{error.value}' is not a number."
    if error.code == "out_of_range":
        return "Give a step from 0.1 to 5 FTE."
    return "The step must be a multiple of 0.1 FTE."  # not_a_multiple


def binding_reason(code: str | None) -> str | None:
    """What stops the target, in one sentence; None when nothing does."""
    return None if code is None else BINDING_REASONS[code]


AIM_WORDS = {
    "tolerance": "least change within tolerance",
    "best": "best score",
}


def change_parts(removed: Decimal, added: Decimal) -> list[str]:
    """People, not line deltas: FTE taken from one band and added to another is a move (a
    person reskilled); the rest is a cut or a hire. "move 6.5 FTE between bands", "take 2.0 FTE
    out", "add 1.0 FTE"."""
    moved = min(removed, added)
    parts = []
    if moved:
        parts.append(f"move {fte_text(moved)} between bands")
    if removed - moved:
        parts.append(f"take {fte_text(removed - moved)} out")
    if added - moved:
        parts.append(f"add {fte_text(added - moved)}")
    return parts


def suggestion_summary(suggestion: Suggestion, currency: str = "") -> str:
    """One sentence: what the suggestion does, what it costs and what it reaches."""
    before, after = suggestion.before.score, suggestion.result.score
    if not suggestion.actions:
        what = "No change improves this plan within its constraints"
    else:
        changes = " and ".join(change_parts(suggestion.fte_removed, suggestion.fte_added))
        # Not str.capitalize(): it would lower-case "FTE".
        roles = len(suggestion.actions)
        cost = signed_money(suggestion.result.cost - suggestion.before.cost)
        what = (
            f"{changes[:1].upper()}{changes[1:]} over {plural(roles, 'role')} "
            f"({cost} {currency} a year)".replace("  ", " ").replace(" )", ")")
        )
    reached = "" if suggestion.target_reached else " (the target is not reachable)"
    return f"{what}: score {before if before is not None else NO_VALUE} → {after}{reached}."


def suggestion_rows(suggestion: Suggestion, currency: str = "") -> list[dict]:
    """The actions with their reasons and signed changes, for the suggestions table and API."""
    return [action_row(action, suggestion, currency) for action in suggestion.actions]


# --- readiness and roadmap -------------------------------------------------------------------
# Question texts, group labels, answer words, flags, transition labels, sheet rows.

READINESS_GROUP_LABELS = {
    readiness.SYSTEM: "The system: rewards, recognition, measures, managers",
    readiness.LEADERSHIP: "Leaders model the behaviour",
    readiness.INSIDE_OUTSIDE: "Inside as outside: people treated like customers",
}
ANSWER_WORDS: dict[int, str] = {0: "Never", 1: "Rarely", 2: "Sometimes", 3: "Often", 4: "Always"}

# The wording of each question of `plans.domain.readiness.QUESTIONS`, by its code.
QUESTION_TEXTS: dict[str, str] = {
    "system_rewards": (
        "Do pay, bonuses and promotions reward people who share what they know and help "
        "colleagues learn on the job?"
    ),
    "system_recognition": (
        "Is sharing knowledge, answering questions and helping others learn recognised in "
        "public, as visibly as hitting targets?"
    ),
    "system_measures": (
        "Are L&D and the teams judged by performance and learning in the work, rather than by "
        "course completions and training hours?"
    ),
    "system_managers": (
        "Are managers expected, and measured, to support and grow their people rather than to "
        "direct and control them?"
    ),
    "system_time": (
        "Do people have room in their working week to look things up, ask experts and share "
        "what they learned, without it counting against them?"
    ),
    "leadership_goals": (
        "Do leaders tell their people what they themselves are trying to learn, and what gets "
        "in their way?"
    ),
    "leadership_support": (
        "Do leaders ask their own people for support in their efforts, and ask about the "
        "barriers their people face?"
    ),
    "leadership_silos": (
        "Do leaders work openly across departments and silos, and let others see them do it?"
    ),
    "leadership_social": (
        "Do leaders take part themselves in the communities and social spaces, rather than "
        "only sponsoring them?"
    ),
    "inside_openness": (
        "We build trust with customers and partners and meet them halfway: are we as open to "
        "the ideas of the people we lead, and as sincere with them?"
    ),
    "inside_listening": (
        "We listen to the market to learn what customers want and need: do we listen to our "
        "own employees in the same way?"
    ),
    "inside_talent": (
        "We look for talent everywhere outside the company: do we see the different skills of "
        "the people we already have and open new opportunities for them?"
    ),
    "inside_experience": (
        "We give customers products that just work: do our people get the same care — work "
        "clearly tied to goals, tools that work, and work with a purpose?"
    ),
}


def readiness_group_label(group: str) -> str:
    return READINESS_GROUP_LABELS.get(group, group)


def question_text(code: str) -> str:
    return QUESTION_TEXTS.get(code, code)


def readiness_questions() -> list[dict]:
    """The questionnaire as people read it: `[{code, group, question}]`, in order."""
    return [
        {"code": q.code, "group": q.group, "question": question_text(q.code)}
        for q in readiness.QUESTIONS
    ]


def answer_choice_label(answer: int) -> str:
    """`3 · Often`: one choice of the readiness form."""
    return f"{answer} · {ANSWER_WORDS[answer]}"


def answer_word(answer: int | None) -> str:
    """`3 (often)` for an answer, `–` for none."""
    if answer is None:
        return NO_VALUE
    return f"{answer} ({ANSWER_WORDS.get(answer, '?').lower()})"


def readiness_flag_message(flag: readiness.Flag) -> str:
    """What a readiness risk means and what to do about it."""
    if flag.code != readiness.SYSTEM_LAGS:
        return flag.code
    start_with = (
        f" Start with the weakest: “{question_text(flag.start_with)}”" if flag.start_with else ""
    )
    return (
        f"The planned mix is modern, but the system scores only {flag.score} out of 100: "
        "rewards, recognition, success measures and managers' focus still pay for the old way, "
        "and the system will pull people right back to it. Before moving people, agree with HR "
        "and the executive team what will be rewarded, recognised and measured, and make "
        f"supporting people's growth part of every manager's objectives.{start_with}"
    )


def readiness_weakest_rows(result: readiness.ReadinessResult) -> list[dict]:
    """The weakest answers as people read them: `[{code, group, question, answer}]`."""
    return [
        {
            "code": item.code,
            "group": item.group,
            "question": question_text(item.code),
            "answer": item.answer,
        }
        for item in result.weakest
    ]


def readiness_flag_rows(result: readiness.ReadinessResult) -> list[dict]:
    """The risk flags as people read them: `[{code, message}]`."""
    return [{"code": flag.code, "message": readiness_flag_message(flag)} for flag in result.flags]


# Why a move between two disciplines is natural: one line per pair of
# `plans.domain.roadmap.AFFINITIES`.
AFFINITY_REASONS: dict[tuple[str, str], str] = {
    (
        "training-delivery",
        "coaching-mentoring",
    ): "Trainers already help people learn face to face; coaching does it in the flow of work.",
    (
        "training-delivery",
        "knowledge-management",
    ): "Trainers know the subject and where people struggle: the heart of curating knowledge.",
    (
        "training-delivery",
        "community-management",
    ): "Facilitating a room is close to facilitating a community of practice.",
    (
        "training-delivery",
        "internal-communications",
    ): "Presenting and storytelling carry over to internal communications.",
    (
        "training-delivery",
        "organisation-design",
    ): "Training needs analysis is the first step of performance consulting.",
    (
        "training-delivery",
        "learning-technology",
    ): "Trainers who run virtual classrooms know the platforms from the user's side.",
    (
        "instructional-design",
        "knowledge-management",
    ): "Designers structure knowledge for learners; knowledge management structures it for work.",
    (
        "instructional-design",
        "organisation-design",
    ): "Needs analysis and performance consulting lead to redesigning the work itself.",
    (
        "instructional-design",
        "learning-technology",
    ): "Designers of digital journeys know the platforms.",
    (
        "instructional-design",
        "internal-communications",
    ): "Clear writing for learners is clear writing for everyone.",
    (
        "elearning-development",
        "learning-technology",
    ): "eLearning developers already build on the platforms; learning technology puts them in the workflow.",
    (
        "elearning-development",
        "social-technology",
    ): "Configuring tools and digital fluency carry over to collaboration platforms.",
    (
        "elearning-development",
        "knowledge-management",
    ): "Producing content leads naturally to curating it.",
    (
        "elearning-development",
        "internal-communications",
    ): "Media production serves internal campaigns.",
    (
        "community-management",
        "social-technology",
    ): "Community managers live on the social tools they would then run.",
    (
        "community-management",
        "knowledge-management",
    ): "Communities of practice are where knowledge is shared first.",
    ("social-technology", "learning-technology"): "Platform skills carry over.",
    (
        "social-technology",
        "community-management",
    ): "Running the network is half of running its communities.",
    ("internal-communications", "community-management"): "Both bring people and stories together.",
    (
        "internal-communications",
        "knowledge-management",
    ): "Editing stories is close to curating knowledge.",
    (
        "coaching-mentoring",
        "organisation-design",
    ): "Coaches see where the system holds people back.",
    ("knowledge-management", "community-management"): "Knowledge flows through communities.",
    ("learning-technology", "social-technology"): "Platform skills carry over.",
    (
        "organisation-design",
        "coaching-mentoring",
    ): "Performance consultants already coach managers.",
}


def affinity_reason(from_discipline: str, to_discipline: str) -> str:
    """One line saying why a move between these disciplines is natural (or not)."""
    if from_discipline == to_discipline:
        return "Same discipline: the craft carries over whole."
    listed = AFFINITY_REASONS.get((from_discipline, to_discipline))
    if listed is not None:
        return listed
    if roadmap.affinity(from_discipline, to_discipline) == roadmap.SOME:
        return "Same band of the model: related ways of helping people learn."
    return "No particular affinity: the move needs the most support."


def quarter_label(day: date) -> str:
    """`2026 Q2` for any day of April-June 2026."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def transition_label(kind: str, from_title: str | None, to_title: str | None) -> str:
    """`Trainer → Coach` for a move, `Hire: Coach`, `Exit: Trainer`."""
    if kind == roadmap.MOVE:
        return f"{from_title} → {to_title}"
    if kind == roadmap.HIRE:
        return f"Hire: {to_title}"
    return f"Exit: {from_title}"


# Per target discipline: Focus on your goals, Target the people you need, Define how you can
# make them successful, Align your efforts to that, plan your Outreach, constantly Renew.
# "{opening}" becomes "From Trainer to Coach" for a move, "As a new Coach" for a hire.
LEARNING_PLANS: dict[str, dict[str, str]] = {
    "knowledge-management": {
        "focus": "{opening}: within two quarters, run one team's knowledge base so that its "
        "people find answers in minutes, not days.",
        "target": "The team's go-to experts (the people everyone already asks), the owners of "
        "the main work systems, the knowledge management lead, and two knowledge managers in "
        "other companies met through a KM community.",
        "define": "Experts succeed when they are asked the same question less often: offer to "
        "capture their answers once, credit them by name and spare them the repeats.",
        "align": "Pick the ten questions the team asks most; turn each into a findable answer "
        "with its expert within a month, and report the time saved to their managers.",
        "outreach": "A 30-minute conversation with each expert in the first four weeks; join "
        "one external KM community and post what you learn in the team's channel.",
        "renew": "Every quarter: thank contributors in public, retire stale pages, add the "
        "newest experts; meet the external peers twice a year.",
    },
    "organisation-design": {
        "focus": "{opening}: within two quarters, diagnose one performance problem and fix the "
        "role, process or measure behind it, not the course.",
        "target": "HR business partners, the managers of the teams you serve, the owner of "
        "rewards and recognition, finance's performance analyst, and a senior organisation "
        "design consultant as mentor.",
        "define": "Managers succeed when their team's results improve: offer each a quick "
        "diagnosis of one problem they care about, with the data to make the case upwards.",
        "align": "Agree one measurable result with each manager before changing anything; "
        "bring HR into every change to roles, rewards or measures so that it sticks.",
        "outreach": "Shadow the mentor on two engagements in the first quarter; meet each HR "
        "partner monthly; present the first diagnosis at a management meeting.",
        "renew": "Every quarter, check with each manager whether the change held; share the "
        "case with the L&D team and refresh the list of sponsors as people move.",
    },
    "learning-technology": {
        "focus": "{opening}: within two quarters, put one learning resource inside a work tool "
        "people use daily (the CRM, the ticket system, the intranet).",
        "target": "IT's integration and security owners, the administrators of the main work "
        "systems, the platform vendor's customer success contact, and five power users from "
        "the business.",
        "define": "IT succeeds when integrations are secure and supportable: offer clean "
        "requirements, test scripts and first-line support; power users succeed when their "
        "tools get easier.",
        "align": "Follow IT's change process from day one; pilot with the power users and fix "
        "what they report within the sprint.",
        "outreach": "Meet IT's architects in the first week; a fortnightly 30-minute check-in "
        "with the power users; join the vendor's user group.",
        "renew": "Every quarter, share usage data with IT and the business owners, retire what "
        "nobody uses and recruit new power users.",
    },
    "social-technology": {
        "focus": "{opening}: within two quarters, make the enterprise social network the place "
        "where one business unit asks and answers its work questions.",
        "target": "The network's administrators, the internal communications lead, a dozen "
        "active posters in the business, and the managers whose teams should join.",
        "define": "Active posters succeed when their help is seen: offer public recognition "
        "and quick fixes to what annoys them in the tool.",
        "align": "Set up groups around real work, not around L&D; make sure every question is "
        "answered within a day for the first three months.",
        "outreach": "Meet each active poster in the first month; run a 20-minute 'working out "
        "loud' session in two team meetings a quarter.",
        "renew": "Monthly, look at who asks and who answers and invite new helpers; every "
        "quarter, thank the regulars in public and archive dead groups.",
    },
    "community-management": {
        "focus": "{opening}: within two quarters, launch or revive one community of practice "
        "around a skill the business needs, with a sponsor and a steady rhythm.",
        "target": "A business sponsor, three to five respected practitioners willing to "
        "co-lead, a community of practice lead as mentor, and community managers in other "
        "companies.",
        "define": "Co-leads succeed when the community makes their own work easier and raises "
        "their profile: offer to do the organising, and give them visibility with the sponsor.",
        "align": "Agree the community's purpose and one result with the sponsor; let the "
        "practitioners choose the topics while you handle the logistics.",
        "outreach": "A one-to-one conversation with every co-lead before the launch; a monthly "
        "community session; a short monthly update to the sponsor.",
        "renew": "Every quarter, ask members what to keep and what to drop, rotate co-leads "
        "before they tire, and bring in new members through each co-lead's network.",
    },
    "internal-communications": {
        "focus": "{opening}: within two quarters, tell the stories of people learning and "
        "sharing at work so that new ideas reach the whole organisation.",
        "target": "The internal communications lead, the editors of the intranet and "
        "newsletters, team leaders with good stories, and the executives' speech writers.",
        "define": "Editors succeed with stories people read: offer a steady supply of real, "
        "checked stories from the work, ready to publish.",
        "align": "Fit the stories to the communications calendar and the company's priorities; "
        "let each storyteller review before publishing.",
        "outreach": "Join the communications team's weekly meeting; meet two team leaders a "
        "week in the first two months to collect stories.",
        "renew": "Every quarter, review what was read and shared, thank the storytellers in "
        "public, and refresh the list of sources as teams change.",
    },
    "coaching-mentoring": {
        "focus": "{opening}: within two quarters, coach people and teams on real problems in "
        "the flow of their work, in a supervised coaching practice.",
        "target": "An experienced coach as your own coach and supervisor, the managers of the "
        "teams you will serve, HR for the mentoring programme, and a coaching peer group.",
        "define": "Managers succeed when their people grow on the job: offer coaching on a real "
        "problem of their team and a short, confidential note on progress.",
        "align": "Agree each engagement's goal with the coachee and their manager; log the "
        "practice hours and supervision a coaching qualification asks for.",
        "outreach": "Fortnightly sessions with your own coach; meet each manager before "
        "starting with their team; join an internal or external coaching peer group.",
        "renew": "Every quarter, review outcomes with the managers, take new coachees through "
        "them, and renew your supervision and peer group.",
    },
    "training-delivery": {
        "focus": "{opening}: within two quarters, deliver the formal courses that remain in "
        "less time, blended with practice on the job.",
        "target": "Subject-matter experts, the managers who send people to courses, other "
        "trainers in a train-the-trainer circle, and the instructional designers.",
        "define": "Managers succeed when people apply the course at work: offer follow-up on "
        "the job and a short note of what changed.",
        "align": "Cut every course to what people will use in their next month of work; agree "
        "the follow-up with each manager before the course.",
        "outreach": "Meet each sending manager before the first run; join the trainers' circle "
        "monthly.",
        "renew": "Every quarter, retire a course nobody needs and refresh the network of "
        "experts and managers.",
    },
    "instructional-design": {
        "focus": "{opening}: within two quarters, design the few formal programmes that must "
        "remain (compliance, safety, onboarding) short and close to the work.",
        "target": "Compliance and legal owners, subject-matter experts, the eLearning "
        "developers, and a senior instructional designer as reviewer.",
        "define": "Compliance owners succeed when audits pass with little disruption: offer "
        "short, evidence-ready programmes and clear completion data.",
        "align": "Start each design from the performance needed and the audit requirement; "
        "review drafts with the experts in short cycles.",
        "outreach": "Meet each compliance owner in the first month; a design review with the "
        "senior designer every fortnight.",
        "renew": "Every quarter, check the programmes against rule changes and learner data, "
        "and thank the experts who helped.",
    },
    "elearning-development": {
        "focus": "{opening}: within two quarters, build short digital resources people use at "
        "the moment of need.",
        "target": "The learning technologists, the platform owners, subject-matter experts and "
        "an eLearning developer community outside the company.",
        "define": "Experts succeed when they are not asked the same questions again: offer fast, "
        "good-looking resources built from their answers.",
        "align": "Build small, test with five users, and publish where people already work.",
        "outreach": "A weekly stand-up with the learning technologists; share work in progress "
        "in the developer community every month.",
        "renew": "Every quarter, retire resources nobody opened and ask the experts what to "
        "build next.",
    },
}
GENERIC_LEARNING_PLAN: dict[str, str] = {
    "focus": "{opening}: agree with your manager what you must be able to do, and by when.",
    "target": "Two or three people who already do this work well, inside or outside the "
    "company, and the managers of the teams you will serve.",
    "define": "Ask each what would make their work easier, and offer that in return for their "
    "help.",
    "align": "Put your learning into real work from the first month, with one of them "
    "reviewing it.",
    "outreach": "Meet each of them in the first month, then monthly.",
    "renew": "Every quarter, review who helped, thank them and add the people you now need.",
}


def learning_plan_prefill(
    kind: str, *, from_title: str | None, to_title: str | None, to_discipline: str | None
) -> dict[str, str]:
    """The six F-T-D-A-O-R fields for a transition, from its target discipline.

    A move and a hire get the target discipline's plan; an exit has no target role and gets
    empty fields.
    """
    if kind == roadmap.EXIT or not to_title:
        return dict.fromkeys(roadmap.LEARNING_PLAN_FIELDS, "")
    opening = f"From {from_title} to {to_title}" if from_title else f"As a new {to_title}"
    texts = LEARNING_PLANS.get(to_discipline or "", GENERIC_LEARNING_PLAN)
    return {name: texts[name].format(opening=opening) for name in roadmap.LEARNING_PLAN_FIELDS}


NO_ROADMAP = "No roadmap has been built for this plan."


def readiness_sheet_rows(report) -> list[list]:
    """The XLSX "Readiness" sheet of a `selectors.plan_readiness` report: scores per group,
    flags, then every question and answer."""
    result = report.result
    stored = report.answers_by_code
    rows: list[list] = [["Readiness score (0-100)", result.score], []]
    rows.append(["Group", "Score", "Answered", "Questions"])
    rows.extend([[g.group, g.score, g.answered, g.total] for g in result.groups])
    rows.append([])
    rows.extend([["Risk", readiness_flag_message(flag)] for flag in result.flags])
    rows.append(["Code", "Group", "Question", "Answer (0-4)", "Note"])
    for question in readiness.QUESTIONS:
        answer = stored.get(question.code)
        rows.append(
            [
                question.code,
                question.group,
                question_text(question.code),
                answer.answer if answer else None,
                answer.note if answer else "",
            ]
        )
    return rows


def roadmap_sheet_rows(found, plan_version: int | None = None) -> list[list]:
    """The XLSX "Roadmap" sheet of a `selectors.plan_roadmap` (or None): one row per transition
    with its learning-network plan; a first warning row when it was built for an older version."""
    if found is None:
        return [[NO_ROADMAP]]
    stale = (
        roadmap_stale_words(found.plan_version, plan_version) if plan_version is not None else None
    )
    rows: list[list] = [["Warning", stale]] if stale else []
    rows += [
        ["Start", found.start, "Most FTE moved a quarter", found.max_fte_per_quarter],
        [],
        ["Quarter", "Effective", "Kind", "From role", "To role", "FTE"]
        + [name.capitalize() for name in roadmap.LEARNING_PLAN_FIELDS],
    ]
    for t in found.loaded_transitions:
        rows.append(
            [
                t.quarter,
                t.effective_date,
                t.kind,
                t.from_role.title if t.from_role else "",
                t.to_role.title if t.to_role else "",
                t.fte,
                *(getattr(t, name) for name in roadmap.LEARNING_PLAN_FIELDS),
            ]
        )
    return rows


# --- imports and exports ---------------------------------------------------------------------
# Export rows of the Lines sheet; import report words.

PLAN_EXPORT_COLUMNS = [
    "role",
    "discipline",
    "band",
    "current_fte",
    "planned_fte",
    "annual_cost",
    "locked",
    "note",
]


def plan_line_rows(lines) -> list[list]:
    """The "Lines" sheet (and CSV export) in PLAN_EXPORT_COLUMNS order.

    `lines` are plan lines with `role__discipline` selected (`plans.selectors.plan_lines`).
    """
    return [
        [
            line.role.title,
            line.role.discipline.name,
            line.role.discipline.band,
            line.current_fte,
            line.planned_fte,
            line.annual_cost,
            yes_no(line.locked),
            line.note,
        ]
        for line in lines
    ]


def export_filename(name: str, suffix: str, as_format: str) -> str:
    """A safe download name such as `2027-modern-learning-department-lines.xlsx`."""
    # Only the export names need Django here.
    from django.utils.text import slugify

    return f"{slugify(name)[:60] or 'export'}-{suffix}.{as_format}"


# --- validation messages of the domain's codes (readiness answers, roadmap inputs) -----------


def answer_problem_words(problem: str, code: object, answer: object) -> str:
    """Why a readiness answer cannot be stored, in words."""
    from plans.domain.readiness import MAX_ANSWER, MIN_ANSWER

    return {
        "unknown_code": f"Unknown question code {code!r}.",
        "not_whole": f"{code}: give a whole number from {MIN_ANSWER} to {MAX_ANSWER}.",
        "out_of_range": f"{code}: {answer} is outside {MIN_ANSWER}-{MAX_ANSWER}.",
    }[problem]


def roadmap_error_words(code: str, details: dict) -> str:
    """Why a roadmap cannot be built from these inputs, in words."""
    if code == "too_many_quarters":
        return (
            f"At {details['per_quarter']} FTE a quarter the {details['moved']} FTE of moves take "
            f"{details['quarters']} quarters; give at least {details['least']} to finish within "
            f"{details['max_quarters']} quarters."
        )
    value = details.get("value")
    return {
        "not_fte": f"{value} is not an FTE of zero or more.",
        "not_tenths": f"{value} is not in steps of 0.1 FTE.",
        "role_twice": "Each role may appear only once.",
        "not_positive": "Give a positive FTE per quarter, e.g. 2.",
        "too_late": "Give a start date well before the year 9990.",
    }[code]


# --- department size: staffing against benchmarks (DESIGN §10) ---------------------------------
# "5,000 employees: 1 L&D FTE per 417; ATD 2021 reports 385 — the reference implies 13.0 FTE,
# the plan has 12.0". Every figure names where it comes from; the panel, the dashboard, the
# compare page, the report and the XLSX export all take their sentences from here.

STAFFING_HEADING = "Department size"
STAFFING_CAVEAT = (
    "Benchmarks describe averages of surveyed organisations, not targets: read them as context."
)
STAFFING_STATUS_WORDS = {
    "below": "below the reference",
    "within": "within the reference",
    "above": "above the reference",
}
STAFFING_HAS = {"current": "today's team has", "planned": "the plan has"}


def plain_number(value: Decimal | int | None) -> str:
    """385 / 5.2 / 1,054 / 948.6: thousands separated, no trailing zeros."""
    if value is None:
        return NO_VALUE
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def fte_figure(value: Decimal | None) -> str:
    """FTE with one decimal: 13.0."""
    return NO_VALUE if value is None else f"{Decimal(value).quantize(Decimal('0.1')):f}"


def staffing_status_words(status: str | None) -> str:
    return STAFFING_STATUS_WORDS.get(status, NO_VALUE) if status else NO_VALUE


def staffing_reason_words(code: str | None, *, currency: str = "") -> str | None:
    """Why a staffing figure is missing, in words."""
    from plans.domain import staffing

    if code is None:
        return None
    return {
        staffing.EMPLOYEES_UNKNOWN: (
            "Employees served unknown: set them in the organization's settings (or the plan's "
            "for a division) to size the department."
        ),
        staffing.NO_FTE: "No L&D FTE in this column yet.",
        staffing.NOT_CONVERTED: (
            f"Shown in {currency or 'its currency'}, not converted: set a {currency} exchange "
            "rate in the organization's settings to compare."
        ),
    }.get(code, code)


def staffing_own_figure(staffing_column, metric: str) -> str:
    """The column's own figure in a metric's terms: "1 L&D FTE per 417"."""
    from plans.domain import staffing

    if metric == staffing.EMPLOYEES_PER_LD_FTE:
        ratio = staffing_column.employees_per_fte
        if ratio is None:
            return "no L&D FTE"
        return (
            f"1 L&D FTE per {plain_number(ratio.quantize(Decimal('1'), rounding='ROUND_HALF_UP'))}"
        )
    if metric == staffing.LD_FTE_PER_1000_EMPLOYEES:
        return f"{plain_number(staffing_column.fte_per_1000)} L&D FTE per 1,000"
    cost = staffing_column.cost_per_employee
    return f"{staffing_column.currency} {plain_number(cost)} L&D staff cost per employee"


def staffing_reference_value(comparison, currency: str) -> str:
    """What the reference reports: "385", "5.2 per 1,000", "USD 1,054 (EUR 948.6 at your rate)"."""
    from plans.domain import staffing

    reference = comparison.reference
    if comparison.metric == staffing.EMPLOYEES_PER_LD_FTE:
        return plain_number(reference.value)
    if comparison.metric == staffing.LD_FTE_PER_1000_EMPLOYEES:
        return f"{plain_number(reference.value)} per 1,000"
    text = f"{reference.currency or currency} {plain_number(reference.value)} per employee"
    if comparison.converted:
        converted = comparison.value.quantize(Decimal("0.01"))
        text += f" ({currency} {plain_number(converted)} at your rate)"
    return text


def staffing_employees_text(staffing_column) -> str:
    if staffing_column.employees is None:
        return "Employees served unknown"
    return f"{staffing_column.employees:,} employees"


def staffing_comparison_text(comparison, column: str = "planned", currency: str = "") -> str:
    """ "ATD 2021 reports 385 — the reference implies 13.0 FTE, the plan has 12.0"."""
    said = f"{comparison.reference.name} reports {staffing_reference_value(comparison, currency)}"
    if comparison.implied_fte is None:
        reason = staffing_reason_words(comparison.reason, currency=comparison.reference.currency)
        return f"{said} — {reason[:1].lower()}{reason[1:]}"  # mid-sentence: "— shown in USD…"
    fte = fte_figure(comparison.implied_fte - comparison.gap_fte)
    return (
        f"{said} — the reference implies {fte_figure(comparison.implied_fte)} FTE, "
        f"{STAFFING_HAS.get(column, 'the plan has')} {fte}"
    )


def staffing_sentence(staffing_column, comparison, column: str = "planned") -> str:
    """The whole sentence for one reference, as the panel, report and exports say it."""
    currency = staffing_column.currency
    head = staffing_employees_text(staffing_column)
    if staffing_column.employees is not None:
        head = f"{head}: {staffing_own_figure(staffing_column, comparison.metric)}"
    return f"{head}; {staffing_comparison_text(comparison, column, currency)}"


def staffing_rows(staffing_column, column: str = "planned") -> list[dict]:
    """One row per reference: the parts the panel links, and the sentence the others print."""
    rows = []
    for comparison in staffing_column.references:
        reference = comparison.reference
        rows.append(
            {
                "benchmark_id": reference.id,
                "name": reference.name,
                "source": reference.source,
                "source_url": reference.source_url,
                "year": reference.year,
                "metric": comparison.metric,
                "own_figure": staffing_own_figure(staffing_column, comparison.metric)
                if staffing_column.employees is not None
                else "",
                "reports": staffing_reference_value(comparison, staffing_column.currency),
                "implied_fte": fte_figure(comparison.implied_fte)
                if comparison.implied_fte is not None
                else None,
                "has_fte": fte_figure(staffing_column.fte),
                "has_words": STAFFING_HAS.get(column, "the plan has"),
                "gap_fte": signed_fte(comparison.gap_fte),
                "status": comparison.status,
                "status_words": staffing_status_words(comparison.status),
                "reason": staffing_reason_words(comparison.reason, currency=reference.currency),
                "sentence": staffing_sentence(staffing_column, comparison, column),
            }
        )
    return rows


def staffing_panel(staffing_column, column: str = "planned") -> dict:
    """Everything the "Department size" panel shows for one column."""
    reasons = [staffing_reason_words(code) for code in staffing_column.reasons]
    return {
        "heading": STAFFING_HEADING,
        "employees_text": staffing_employees_text(staffing_column),
        "rows": staffing_rows(staffing_column, column),
        "reasons": reasons,
        "caveat": STAFFING_CAVEAT,
        "column_label": COLUMN_LABELS.get(column, column),
    }


def staffing_sheet_rows(plan_staffing) -> list[list]:
    """Rows for the XLSX "Score" sheet: each column's size and each reference's sentence."""
    rows: list[list] = [[], [STAFFING_HEADING], [STAFFING_CAVEAT]]
    if plan_staffing is None:
        return rows
    for column in ("current", "planned"):
        sized = plan_staffing.column(column)
        rows.append(
            [
                COLUMN_LABELS[column],
                "employees",
                sized.employees,
                "employees per L&D FTE",
                sized.employees_per_fte,
                "L&D FTE per 1,000",
                sized.fte_per_1000,
                f"staff cost per employee ({sized.currency})",
                sized.cost_per_employee,
            ]
        )
        for row in staffing_rows(sized, column):
            rows.append(
                [
                    "",
                    row["name"],
                    row["sentence"],
                    "implied FTE",
                    row["implied_fte"],
                    "gap FTE",
                    row["gap_fte"],
                    row["status_words"],
                    row["source_url"] or row["source"],
                ]
            )
        for code in sized.reasons:
            rows.append(["", staffing_reason_words(code)])
    return rows


# --- the guided planner: the next step, pending edits, review and stale roadmaps -------------
# (planner-ux) Words of the planner's guidance, its review workflow and its warnings.

ADD_ROLES_HEADING = "Add your roles"
ADD_ROLES_HELP = (
    "Search the catalog as you type and press Add for each role of your department; the search "
    "stays open so you can add several in a row. Nothing is stored until you press Save."
)
KEPT_UNSAVED = (
    "You have unsaved changes: your typed values were kept on this page but are not stored "
    "yet. Press Save to keep them."
)
SAVE_HINT = "The score updates as you type; nothing is stored until you save."
PENDING_MANY = "Save changes ({n} pending)"
UNSAVED_PROMPT = "You have unsaved changes on this plan. Leave without saving them?"
SCORE_THRESHOLDS = (
    f"Score colours: green from {BADGE_GOOD_FROM}, amber from {BADGE_FAIR_FROM}, red below "
    f"{BADGE_FAIR_FROM} (100 = exactly on the target model)."
)
ROADMAP_STALE = (
    "The roadmap was built from version {built} of this plan; the plan is now at version "
    "{now}. Rebuild it so it matches the current lines."
)


def next_step(*, row_count: int, planned: ColumnScore, unsaved: bool, editable: bool) -> dict:
    """The one thing to do next on the planner, named from the plan's state and its band gaps.

    `action` is "add", "fte", "suggest", "save", "submit" or "" (nothing to do here); `text`
    is the sentence shown beside the score.
    """
    if not editable:
        return {"action": "", "text": ""}
    if row_count == 0:
        return {"action": "add", "text": "Start by adding your roles: search the catalog."}
    if planned.total_fte == 0:
        return {"action": "fte", "text": "Enter today's and the planned FTE for each role."}
    off = [band for band in planned.bands if band.status in ("under", "over")]
    if off:
        worst = max(off, key=lambda band: abs(band.gap_fte))
        amount = f"{abs(worst.gap_fte).quantize(Decimal('0.1'))}"
        side = "short" if worst.gap_fte > 0 else "over"
        text = f"{BAND_SHORT_LABELS[worst.band]} is {amount} FTE {side}: see suggestions."
        if unsaved:
            text += " Save your changes first to keep them."
        return {"action": "suggest", "text": text}
    if unsaved:
        return {"action": "save", "text": "Every band is within target: save your changes."}
    return {"action": "submit", "text": "Every band is within target: submit it for review."}


def pending_words(count: int) -> str:
    """The save button's label: 'Save changes' or 'Save changes (3 pending)'."""
    if count <= 0:
        return "Save changes"
    return PENDING_MANY.format(n=count)


# (from, to) -> the button's words on the planner; the primary one is the step forward.
REVIEW_ACTIONS = {
    ("draft", "in_review"): "Submit for review",
    ("in_review", "draft"): "Send back to draft",
    ("in_review", "approved"): "Approve",
    ("approved", "draft"): "Reopen as draft",
    ("archived", "draft"): "Reopen as draft",
    ("draft", "archived"): "Archive",
    ("in_review", "archived"): "Archive",
    ("approved", "archived"): "Archive",
}
WITHDRAW_ACTION = "Withdraw from review"
PRIMARY_MOVES = {("draft", "in_review"), ("in_review", "approved")}
COMMENT_REQUIRED = "Say what to change: a comment is required to send a plan back."


def review_action_label(current: str, to: str, *, withdraw: bool = False) -> str:
    """The button that moves a plan from `current` to `to`, in words."""
    if withdraw:
        return WITHDRAW_ACTION
    return REVIEW_ACTIONS.get((current, to), STATUS_ACTIONS.get(to, to))


def roadmap_stale_words(built_version: int | None, plan_version: int) -> str | None:
    """A warning when the roadmap was built for an older version of the plan, else None."""
    if built_version is None or built_version >= plan_version:
        return None
    return ROADMAP_STALE.format(built=built_version, now=plan_version)


def band_fte_differences(base: ColumnScore, other: ColumnScore) -> list[str]:
    """What `other` plans differently from `base`, band by band: '+2.0 FTE Experiential'."""
    words = []
    for band in BANDS:
        delta = other.band(band).fte - base.band(band).fte
        if delta != 0:
            words.append(f"{signed_fte(delta)} FTE {BAND_SHORT_LABELS[band]}")
    return words or ["the same FTE in every band"]


IMPORT_REASON_PREFIX = "import from "


def status_change_words(before: str, after: str) -> str:
    """A status move in words: 'in review → approved'."""
    words = {"draft": "draft", "in_review": "in review", "approved": "approved"}
    words["archived"] = "archived"
    return f"{words.get(before, before)} → {words.get(after, after)}"


# --- suggestions sized by a benchmark (DESIGN §10 with §5's grow mode) ------------------------

SIZE_NEEDS_GROW = "size=benchmark applies to grow mode only: add mode=grow."
SIZE_OR_GROW_TO = "Give either size=benchmark or grow_to, not both."
SIZE_NO_REFERENCE = (
    "No reference implies a size for this plan: set the employees served (organization or plan) "
    "and a default reference on the Department size page."
)

COMMENT_ALONE = (
    "A review comment goes with a status move and nothing else: send `status`, "
    "`status_comment` and `version` only."
)
