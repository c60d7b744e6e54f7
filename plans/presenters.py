"""The words and rows people read: one place, so every page, export and API message agrees.

The planner, the compare page, the report, the CSV/XLSX exports and the API messages take their
labels from here; the pure maths (`plans.domain`) returns codes and numbers only. A test renders
each surface and checks that the same fact is worded the same way everywhere.
"""

from __future__ import annotations

from decimal import Decimal

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


# --- readiness and roadmap -------------------------------------------------------------------
# Question texts, group labels, answer words, flags, transition labels, sheet rows.


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
