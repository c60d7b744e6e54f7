"""The server-drawn chart: pure, no database."""

from decimal import Decimal
from xml.etree import ElementTree

from plans.charts import band_chart_svg
from plans.domain.scoring import score_plan
from plans.domain.types import LineInput, TargetInput
from plans.presenters import chart_description, percent_text
from roles.bands import Band

TARGET = TargetInput(
    targets={
        Band.EXPERIENTIAL: Decimal("0.7"),
        Band.SOCIAL: Decimal("0.2"),
        Band.FORMAL: Decimal("0.1"),
    },
    tolerance=Decimal("0.05"),
)
SVG = "{http://www.w3.org/2000/svg}"


def line(role_id, band, current, planned):
    split = {b: Decimal(1 if b == band else 0) for b in Band}
    return LineInput(
        role_id, f"Role {role_id}", split, Decimal(current), Decimal(planned), Decimal("50000")
    )


def test_chart_draws_bars_in_proportion_with_tolerance_and_text():
    score = score_plan(
        [
            line(1, Band.FORMAL, "9", "1"),
            line(2, Band.EXPERIENTIAL, "1", "7"),
            line(3, Band.SOCIAL, "0", "2"),
        ],
        TARGET,
    )
    svg = band_chart_svg(score.current, score.planned, TARGET)
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Band shares: current, planned and target"
    desc = root.find(f"{SVG}desc").text
    assert "Formal (Some): current 90%, planned 10%, target 10% ± 5 points." in desc
    assert "Shape: current training-centric, planned modern." in desc
    bars = {
        rect.get("width")
        for rect in root.iter(f"{SVG}rect")
        if rect.get("height") == "20" and rect.get("x") == "2"
    }
    # 280 units are 100%: 90% -> 252, 70% -> 196, 20% -> 56, 10% -> 28
    assert {"252.0", "196.0", "56.0", "28.0"} <= bars
    # the tolerance band of 70% ± 5 points spans 65%..75% = 28 units, from 2 + 182
    assert any(
        rect.get("x") == "184.0" and rect.get("width") == "28.0" for rect in root.iter(f"{SVG}rect")
    )
    # value labels stand right of the whole scale: never on a target line or tolerance band
    values = [text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-value"]
    assert len(values) == 6 and all(float(text.get("x")) > 282 for text in values)
    # the legend draws current hatched and planned solid in the bars' own band colours
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-legend")
    fills = [rect.get("fill") for rect in legend.iter(f"{SVG}rect")]
    assert fills[:6] == [
        "url(#hatch-experiential)",
        "url(#hatch-social)",
        "url(#hatch-formal)",
        "#0b6e4f",
        "#6a3fa0",
        "#b3541e",
    ]


def test_empty_column_is_drawn_as_text_not_as_an_error():
    score = score_plan([line(1, Band.FORMAL, "0", "2")], TARGET)
    svg = band_chart_svg(score.current, score.planned, TARGET)
    assert "Current: no FTE" in svg
    assert chart_description(score.current, score.planned, TARGET).endswith(
        "Shape: current not scored (no FTE), planned training-centric."
    )


def test_percent_text():
    assert percent_text(Decimal("0.6667")) == "66.7%"
    assert percent_text(Decimal("0.5")) == "50%"
    assert percent_text(None) == "no FTE"


def test_compare_chart_stacks_each_plan_to_100_percent_with_marks_on_the_bars_only():
    from plans.charts import compare_chart_svg

    score = score_plan(
        [line(1, Band.FORMAL, "9", "1"), line(2, Band.EXPERIENTIAL, "1", "7")], TARGET
    )
    root = ElementTree.fromstring(compare_chart_svg([("Plan A", score.planned)], TARGET))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "20"]
    # the target row (70/20/10) and Plan A (87.5/0/12.5): widths of 280 units
    assert [r.get("width") for r in bars] == ["196.0", "56.0", "28.0", "245.0", "35.0"]
    texts = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-value"]
    assert texts[1].text == "Experiential 87.5% · Social 0% · Formal 12.5%"
    marks = [ln for ln in root.iter(f"{SVG}line")]
    assert len(marks) == 4  # two band ends per row
    for mark in marks:  # never down into the words under the bar
        row_text_y = min(
            float(t.get("y")) for t in texts if float(t.get("y")) > float(mark.get("y1"))
        )
        assert float(mark.get("y2")) < row_text_y - 12
