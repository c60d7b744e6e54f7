"""The planner's chart: per band, current vs planned vs target share, drawn as inline SVG.

Pure Python apart from the markup (no Django import, no chart library): it takes the two
`ColumnScore`s and the `TargetInput` and returns SVG text plus a plain-language alternative.
The drawing survives printing in black and white: current bars are hatched, planned bars solid,
the tolerance is a grey band around a dashed target line, and every bar carries its number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from plans.domain import roadmap
from plans.domain.types import ColumnScore, TargetInput
from plans.presenters import chart_description, percent_text
from roles.bands import BAND_SHORT_LABELS, BAND_WORDS, BANDS, Band

BAND_COLOURS = {Band.EXPERIENTIAL: "#0b6e4f", Band.SOCIAL: "#6a3fa0", Band.FORMAL: "#b3541e"}

# A narrow drawing (410 units) so that, scaled into a 358 px phone column, 14-unit text stays
# >= 12 px. Value labels sit in their own column right of the scale, so they never overlap the
# target line or the tolerance band; band names sit on their own line above the bars.
WIDTH = 410
SCALE_LEFT = 2
SCALE_WIDTH = 280
VALUE_LEFT = SCALE_LEFT + SCALE_WIDTH + 8
LEGEND_HEIGHT = 34
ROW_HEIGHT = 86
HEADING_HEIGHT = 22
BAR_HEIGHT = 20
AXIS_HEIGHT = 26


def _x(share: Decimal) -> float:
    clamped = min(max(share, Decimal(0)), Decimal(1))
    return round(SCALE_LEFT + float(clamped) * SCALE_WIDTH, 1)


def _bar(band: Band, share: Decimal | None, y: float, *, hatched: bool, label: str) -> list[str]:
    colour = BAND_COLOURS[band]
    if share is None:
        return [
            f'<text x="{VALUE_LEFT}" y="{y + BAR_HEIGHT - 5}" class="chart-value">'
            f"{label}: no FTE</text>"
        ]
    end = _x(share)
    fill = f"url(#hatch-{band.value})" if hatched else colour
    width = max(end - SCALE_LEFT, 0)
    return [
        f'<rect x="{SCALE_LEFT}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{fill}" '
        f'stroke="{colour}" stroke-width="1.5"/>',
        f'<text x="{VALUE_LEFT}" y="{y + BAR_HEIGHT - 5}" class="chart-value">'
        f"{label} {percent_text(share)}</text>",
    ]


def _legend(target: TargetInput) -> list[str]:
    """The legend drawn like the bars: hatched and solid in the three band colours."""
    out = ['<g class="chart-legend" aria-hidden="true">']
    for offset, hatched, label in ((0, True, "Current"), (136, False, "Planned")):
        for index, band in enumerate(BANDS):
            fill = f"url(#hatch-{band.value})" if hatched else BAND_COLOURS[band]
            out.append(
                f'<rect x="{offset + index * 13}" y="6" width="11" height="14" fill="{fill}" '
                f'stroke="{BAND_COLOURS[band]}"/>'
            )
        out.append(f'<text x="{offset + 44}" y="18">{label}</text>')
    tolerance = percent_text(target.tolerance).rstrip("%")
    out += [
        '<rect x="272" y="6" width="18" height="14" fill="#d0d7de" stroke="#57606a"/>',
        '<line x1="281" y1="4" x2="281" y2="22" stroke="#1b1f24" stroke-dasharray="3 2"/>',
        f'<text x="296" y="18">Target ± {tolerance}</text>',
        "</g>",
    ]
    return out


def band_chart_svg(
    current: ColumnScore, planned: ColumnScore, target: TargetInput, *, chart_id: str = "mix"
) -> str:
    """Inline SVG: one row per band with current (hatched), planned (solid) and target ± tolerance."""
    height = LEGEND_HEIGHT + ROW_HEIGHT * len(BANDS) + AXIS_HEIGHT
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mix-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">Band shares: current, planned and target</title>',
        f'<desc id="{desc_id}">{escape(chart_description(current, planned, target))}</desc>',
        "<defs>",
    ]
    for band in BANDS:
        colour = BAND_COLOURS[band]
        out.append(
            f'<pattern id="hatch-{band.value}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="#ffffff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="3"/></pattern>'
        )
    out.append("</defs>")
    out += _legend(target)
    for index, band in enumerate(BANDS):
        top = LEGEND_HEIGHT + index * ROW_HEIGHT
        bars_top = top + HEADING_HEIGHT
        band_target = target.targets[band]
        low, high = band_target - target.tolerance, band_target + target.tolerance
        out.append(f'<g class="chart-band chart-band-{band.value}">')
        out.append(
            f'<text x="0" y="{top + 15}"><tspan class="chart-label">{BAND_SHORT_LABELS[band]}'
            f'</tspan><tspan class="chart-sub"> · {BAND_WORDS[band]} · target '
            f"{percent_text(band_target)}</tspan></text>"
        )
        out.append(
            f'<rect x="{_x(low)}" y="{bars_top}" width="{round(_x(high) - _x(low), 1)}" '
            f'height="{BAR_HEIGHT * 2 + 14}" fill="#d0d7de" opacity="0.8"/>'
        )
        out += _bar(band, current.band(band).share, bars_top + 4, hatched=True, label="Current")
        out += _bar(
            band,
            planned.band(band).share,
            bars_top + 8 + BAR_HEIGHT,
            hatched=False,
            label="Planned",
        )
        out.append(
            f'<line x1="{_x(band_target)}" y1="{bars_top - 2}" x2="{_x(band_target)}" '
            f'y2="{bars_top + BAR_HEIGHT * 2 + 16}" stroke="#1b1f24" stroke-width="2" '
            f'stroke-dasharray="4 3"/>'
        )
        out.append("</g>")
    axis_y = LEGEND_HEIGHT + ROW_HEIGHT * len(BANDS)
    out.append('<g class="chart-axis" aria-hidden="true">')
    out.append(
        f'<line x1="{SCALE_LEFT}" y1="{axis_y}" x2="{SCALE_LEFT + SCALE_WIDTH}" y2="{axis_y}" '
        f'stroke="#57606a"/>'
    )
    for tick in (0, 25, 50, 75, 100):
        x = _x(Decimal(tick) / 100)
        anchor = "start" if tick == 0 else ("end" if tick == 100 else "middle")
        out.append(f'<line x1="{x}" y1="{axis_y}" x2="{x}" y2="{axis_y + 5}" stroke="#57606a"/>')
        out.append(f'<text x="{x}" y="{axis_y + 20}" text-anchor="{anchor}">{tick}%</text>')
    out.append("</g></svg>")
    return "".join(out)


# --- the compare page's chart: band shares per plan, stacked to 100% --------------------------

COMPARE_ROW_HEIGHT = 74


def _stacked_row(name: str, shares: dict[Band, Decimal | None], top: int) -> list[str]:
    out = [f'<text x="0" y="{top + 15}" class="chart-label">{escape(name)}</text>']
    bar_top = top + 22
    if all(share is None for share in shares.values()):
        out.append(f'<text x="0" y="{bar_top + 16}" class="chart-value">No planned FTE</text>')
        return out
    left = Decimal(0)
    words = []
    for band in BANDS:
        share = shares[band] or Decimal(0)
        x, end = _x(left), _x(left + share)
        if end > x:
            out.append(
                f'<rect x="{x}" y="{bar_top}" width="{round(end - x, 1)}" height="{BAR_HEIGHT}" '
                f'fill="{BAND_COLOURS[band]}" stroke="#ffffff" stroke-width="1"/>'
            )
        words.append(f"{BAND_SHORT_LABELS[band]} {percent_text(share)}")
        left += share
    out.append(
        f'<text x="0" y="{bar_top + BAR_HEIGHT + 17}" class="chart-value">'
        f"{escape(' · '.join(words))}</text>"
    )
    return out


def compare_chart_svg(plans: Sequence[tuple[str, ColumnScore]], target: TargetInput) -> str:
    """Inline SVG: the planned band shares of each compared plan as a bar stacked to 100%, under
    the target's own bar; dashed marks on each bar show where the target's bands end."""
    rows = [("Target", {band: target.targets[band] for band in BANDS})]
    rows += [(name, {band: column.band(band).share for band in BANDS}) for name, column in plans]
    height = LEGEND_HEIGHT + COMPARE_ROW_HEIGHT * len(rows) + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mix-chart compare-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="compare-chart-title compare-chart-desc">',
        '<title id="compare-chart-title">Planned band shares per plan against the target</title>',
        '<desc id="compare-chart-desc">'
        + escape(
            " ".join(
                f"{name}: "
                + ", ".join(
                    f"{BAND_SHORT_LABELS[band]} {percent_text(shares[band])}" for band in BANDS
                )
                + "."
                for name, shares in rows
            )
        )
        + "</desc>",
        '<g class="chart-legend" aria-hidden="true">',
    ]
    for index, band in enumerate(BANDS):
        x = index * 130
        out.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{BAND_COLOURS[band]}"/>'
            f'<text x="{x + 20}" y="18">{BAND_SHORT_LABELS[band]}</text>'
        )
    out.append("</g>")
    boundaries = []
    total = Decimal(0)
    for band in BANDS[:-1]:
        total += target.targets[band]
        boundaries.append(_x(total))
    for index, (name, shares) in enumerate(rows):
        top = LEGEND_HEIGHT + index * COMPARE_ROW_HEIGHT
        out += _stacked_row(name, shares, top)
        # target marks cross the bar only, never the words above or below it
        for x in boundaries:
            out.append(
                f'<line x1="{x}" y1="{top + 19}" x2="{x}" y2="{top + 22 + BAR_HEIGHT + 3}" '
                f'stroke="#1b1f24" stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
    out.append("</svg>")
    return "".join(out)


# --- the reskilling roadmap's timeline (geometry only; the template draws the SVG) -----------


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """A transition as the timeline needs it."""

    kind: str
    label: str  # "Trainer → Coach", "Hire: Coach", "Exit: Trainer"
    fte: Decimal
    quarter: int
    band: str = ""


@dataclass(frozen=True, slots=True)
class TimelineBar:
    x: int
    y: int
    width: int
    height: int
    fte: Decimal
    kind: str
    band: str
    text_x: int
    text_y: int


@dataclass(frozen=True, slots=True)
class TimelineRow:
    label: str
    y: int
    text_y: int
    bars: tuple[TimelineBar, ...]


@dataclass(frozen=True, slots=True)
class TimelineColumn:
    x: int
    width: int
    label: str
    text_x: int
    moved: Decimal


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    label_width: int
    header_height: int
    columns: tuple[TimelineColumn, ...]
    rows: tuple[TimelineRow, ...]


def timeline_layout(
    items: Sequence[TimelineItem],
    quarter_labels: Sequence[str],
    *,
    label_width: int = 300,
    column_width: int = 110,
    row_height: int = 30,
    header_height: int = 44,
) -> Timeline:
    """Coordinates of a quarter-by-quarter timeline: one row per (kind, label), one column per
    quarter; a bar sits in the row of its transition and the column of its quarter."""
    labels: list[tuple[str, str]] = []
    for item in items:
        if (item.kind, item.label) not in labels:
            labels.append((item.kind, item.label))
    labels.sort(key=lambda pair: roadmap.KINDS.index(pair[0]))  # stable: moves, then hires, exits
    columns = tuple(
        TimelineColumn(
            x=label_width + index * column_width,
            width=column_width,
            label=label,
            text_x=label_width + index * column_width + column_width // 2,
            moved=sum(
                (i.fte for i in items if i.kind == roadmap.MOVE and i.quarter == index + 1),
                Decimal(0),
            ),
        )
        for index, label in enumerate(quarter_labels)
    )
    rows = []
    for index, (kind, label) in enumerate(labels):
        y = header_height + index * row_height
        bars = tuple(
            TimelineBar(
                x=columns[item.quarter - 1].x + 4,
                y=y + 4,
                width=column_width - 8,
                height=row_height - 8,
                fte=item.fte,
                kind=item.kind,
                band=item.band,
                text_x=columns[item.quarter - 1].text_x,
                text_y=y + row_height // 2 + 5,
            )
            for item in items
            if (item.kind, item.label) == (kind, label) and 0 < item.quarter <= len(columns)
        )
        rows.append(TimelineRow(label=label, y=y, text_y=y + row_height // 2 + 5, bars=bars))
    return Timeline(
        width=label_width + column_width * max(len(columns), 1),
        height=header_height + row_height * max(len(rows), 1) + 8,
        label_width=label_width,
        header_height=header_height,
        columns=columns,
        rows=tuple(rows),
    )
