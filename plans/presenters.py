"""The words and rows people read: one place, so every page, export and API message agrees.

The planner, the compare page, the report, the CSV/XLSX exports and the API messages take their
labels from here; the pure maths (`plans.domain`) returns codes and numbers only. A test renders
each surface and checks that the same fact is worded the same way everywhere.
"""

from __future__ import annotations

from decimal import Decimal

from plans.domain.rebalancing import MODES, Action, RebalanceInputError, Suggestion
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
MOVES_LABEL = "FTE to move to match the model"
SCORE_LABEL = "Score (0–100)"
COLUMN_LABELS = {"current": "Current", "planned": "Planned"}
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
        "reason": column.reason,
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
        ["Shape", *[shape_words(column.shape) for column in columns]],
        [ORDERING_LABEL, *[yes_no(column.ordering_holds) for column in columns]],
        ["Total FTE", *[column.total_fte for column in columns]],
        [MOVES_LABEL, *[column.moves_needed_fte for column in columns]],
        ["Annual cost", *[column.cost for column in columns]],
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
            "Planned gap FTE",
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


# --- suggestions (rebalancing) ---------------------------------------------------------------
# Reasons, binding constraints and the summary line of the suggestions panel and API.

BINDING_REASONS = {
    "locked_lines": "Locked lines (or roles split across bands, which suggestions keep) "
    "hold FTE in a band over target.",
    "compliance_floor": "The compliance floor keeps more formal FTE than the target wants.",
    "headcount_cap": "The headcount cap stops the additions the target needs.",
    "budget_cap": "The budget cap does not pay for the mix the target needs.",
    "no_role": "A band under target has no role to grow: add one to the catalog.",
    "step": "The step is too coarse for this plan: try a smaller one.",
    "mode": "The mode's own rule (total unchanged, or additions only) stops the target.",
}


def suggestion_reason(action: Action, suggestion: Suggestion) -> str:
    """Why the engine moves this line, in one sentence (from the action's reason code)."""
    label = BAND_SHORT_LABELS[action.band]
    points = action.points_off_target
    code = action.reason_code
    if code == "below_compliance_floor":
        return f"Formal is below the compliance floor of {suggestion.compliance_floor} FTE."
    if code == "under_target":
        return f"{label} is {-points} points under target."
    if code == "keeps_share":
        return f"{label} needs more FTE to keep its share as the department changes."
    if code == "over_target":
        return f"{label} is {points} points over target."
    if code == "frees_budget":
        return f"Frees budget: {label.lower()} roles cost the most to keep."
    return f"{label} gives up FTE so that the bands under target can grow."  # makes_room


def rebalance_input_message(error: RebalanceInputError) -> str:
    """The 400 message of a bad mode or step."""
    if error.code == "unknown_mode":
        return f"Use one of {', '.join(MODES)}."
    if error.code == "not_a_number":
        return f"'{error.value}' is not a number."
    if error.code == "out_of_range":
        return "Give a step from 0.1 to 5 FTE."
    return "The step must be a multiple of 0.1 FTE."  # not_a_multiple


def binding_reason(code: str | None) -> str | None:
    """What stops the target, in one sentence; None when nothing does."""
    return None if code is None else BINDING_REASONS[code]


def suggestion_summary(suggestion: Suggestion) -> str:
    """One sentence: what the suggestion does and what it reaches."""
    before, after = suggestion.before.score, suggestion.result.score
    if not suggestion.actions:
        what = "No change improves this plan within its constraints"
    else:
        parts = []
        if suggestion.fte_removed:
            parts.append(f"take {suggestion.fte_removed} FTE out")
        if suggestion.fte_added:
            parts.append(f"add {suggestion.fte_added} FTE")
        changes = " and ".join(parts)
        # Not str.capitalize(): it would lower-case "FTE".
        roles = len(suggestion.actions)
        what = f"{changes[:1].upper()}{changes[1:]} over {roles} role{'s' if roles != 1 else ''}"
    reached = "" if suggestion.target_reached else " (the target is not reachable)"
    return f"{what}: score {before if before is not None else NO_VALUE} → {after}{reached}."


def suggestion_rows(suggestion: Suggestion) -> list[dict]:
    """The actions with their reasons, for the suggestions table."""
    return [
        {"action": action, "reason": suggestion_reason(action, suggestion)}
        for action in suggestion.actions
    ]


# --- readiness and roadmap -------------------------------------------------------------------
# Question texts, group labels, answer words, flags, transition labels, sheet rows.


# --- imports and exports ---------------------------------------------------------------------
# Export rows of the Lines sheet; import report words.
