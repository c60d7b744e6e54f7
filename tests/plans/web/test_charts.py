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
        if rect.get("height") == "20" and rect.get("x") == "160"
    }
    # 400 px is 100%: 90% -> 360, 70% -> 280, 20% -> 80, 10% -> 40
    assert {"360.0", "280.0", "80.0", "40.0"} <= bars
    # the tolerance band of 70% ± 5 points spans 65%..75% = 40 px
    assert any(
        rect.get("x") == "420.0" and rect.get("width") == "40.0" for rect in root.iter(f"{SVG}rect")
    )


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
