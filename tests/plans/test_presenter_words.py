"""One fact, one wording: every surface says what the score says in `plans.presenters`' words.

Given a plan whose columns are training-centric with bands under target, the planner page, the
compare page, the print report, the XLSX export's Score sheet, the CSV export and the score API
are read. The pages and the sheet show the presenters' shape words, band status words and
labels; none shows an older wording or a raw code to people; the API carries the domain's codes.
The suggestions page and the suggestions API give the same reason sentences.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans import presenters, selectors
from plans.services import scenarios
from tests.factories import PlanFactory
from tests.support import TRAINING_CENTRIC, add_lines

pytestmark = pytest.mark.django_db

# Wordings that drifted in before the presenters held them, and codes people must not read.
DRIFT_WORDS = ["training centric", "moves needed"]
RAW_CODES = ["training_centric", "on_target"]
# Attributes whose text people read (tooltips, screen readers, empty fields).
READ_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}

# Planned the old way too: both columns are training-centric, so every surface (the compare
# page shows only the planned column) has the shape to word.
STILL_TRAINING_CENTRIC = [
    ("Trainer", "6", "5"),
    ("Instructional Designer", "3", "3"),
    ("Knowledge Manager", "1", "2"),
    ("Community Manager", "0", "0"),
]


class PageText(HTMLParser):
    """The text people read on a page, and its table rows as lists of cell texts."""

    def __init__(self, html: str):
        super().__init__()
        self.parts: list[str] = []
        self.rows: list[list[str]] = []
        self._skip = 0
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self.feed(html)
        self.text = squeeze(" ".join(self.parts))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(squeeze(" ".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def row_starting(self, start: str) -> list[str]:
        found = [row for row in self.rows if row and row[0].startswith(start)]
        assert len(found) == 1, f"one row starting {start!r}, found {found}"
        return found[0]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_no_drift(text: str, surface: str) -> None:
    lowered = text.lower()
    for words in DRIFT_WORDS:
        assert words not in lowered, f"{surface} says {words!r}"
    for code in RAW_CODES:
        assert code not in text, f"{surface} shows the code {code!r}"


@pytest.fixture
def plan(organization, planner):
    plan = PlanFactory(organization=organization, name="Department 2027", created_by=planner)
    return add_lines(plan, STILL_TRAINING_CENTRIC)


@pytest.fixture
def modern_plan(organization, planner):
    plan = PlanFactory(organization=organization, name="Department 2028", created_by=planner)
    return add_lines(plan, TRAINING_CENTRIC)


@pytest.fixture
def score(plan):
    """The plan's score as the domain computes it, with the facts this test relies on."""
    score = selectors.plan_score(plan).score
    assert score.current.shape == score.planned.shape == "training_centric"
    assert any(band.status == "under" for band in score.current.bands)
    return score


def test_the_planner_page_uses_the_presenters_words(planner_web, plan, score):
    page = PageText(planner_web.get(reverse("plans:detail", args=[plan.pk])).content.decode())

    for column in (score.current, score.planned):
        assert f"{presenters.SHAPE_LABEL} {presenters.shape_words(column.shape)} " in page.text
        ordering = presenters.yes_no(column.ordering_holds)
        assert f"{presenters.ORDERING_LABEL} {ordering} " in page.text
        assert f"{presenters.MOVES_LABEL} {column.moves_needed_fte:.1f} FTE" in page.text
    assert presenters.shape_words("training_centric") == "training-centric"
    assert_band_rows(page, score)
    assert_no_drift(page.text, "the planner page")


def assert_band_rows(page: PageText, score) -> None:
    """Each band's row of a page's band table names its statuses as the presenters do."""
    assert presenters.LABELS["gap"] in page.row_starting("Band")
    for band in score.current.bands:
        row = page.row_starting(presenters.band_row(band.band, band, band)["label"])
        planned = score.planned.band(band.band)
        assert presenters.BAND_STATUS_WORDS[band.status] in row
        assert presenters.BAND_STATUS_WORDS[planned.status] in row
    assert presenters.BAND_STATUS_WORDS["under"] == "under target"


def test_the_report_uses_the_presenters_words(planner_web, plan, score):
    page = PageText(planner_web.get(reverse("plans:report", args=[plan.pk])).content.decode())

    for column in (score.current, score.planned):
        assert f"{presenters.SHAPE_LABEL} {presenters.shape_words(column.shape)} " in page.text
        ordering = presenters.yes_no(column.ordering_holds)
        assert f"{presenters.ORDERING_LABEL} {ordering} " in page.text
        assert f"{presenters.MOVES_LABEL} {column.moves_needed_fte:.1f}" in page.text
    assert_band_rows(page, score)
    assert_no_drift(page.text, "the print report")


def test_the_compare_page_uses_the_presenters_words(planner_web, plan, modern_plan, score):
    other = selectors.plan_score(modern_plan).score
    url = f"{reverse('plans:compare')}?ids={plan.pk},{modern_plan.pk}"
    page = PageText(planner_web.get(url).content.decode())

    shapes = [
        presenters.shape_words(score.planned.shape),
        presenters.shape_words(other.planned.shape),
    ]
    assert page.row_starting(f"{presenters.SHAPE_LABEL} (planned)")[1:] == shapes
    assert page.row_starting(presenters.ORDERING_LABEL)[1:] == [
        presenters.yes_no(score.planned.ordering_holds),
        presenters.yes_no(other.planned.ordering_holds),
    ]
    moves = page.row_starting(presenters.MOVES_LABEL)[1:]
    assert moves == [
        f"{score.planned.moves_needed_fte:.1f}",
        f"{other.planned.moves_needed_fte:.1f}",
    ]
    for band in score.planned.bands:
        label = presenters.band_row(band.band, band, band)["label"]
        cells = page.row_starting(f"{label} share")[1:]
        words = [presenters.BAND_STATUS_WORDS[band.status]]
        words.append(presenters.BAND_STATUS_WORDS[other.planned.band(band.band).status])
        for cell, word in zip(cells, words, strict=True):
            assert f", {word})" in cell
    assert_no_drift(page.text, "the compare page")


def test_the_xlsx_score_sheet_uses_the_presenters_words(planner_client, plan, score):
    response = planner_client.get(f"/api/v1/plans/{plan.pk}/export/?as=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(row) for row in book["Score"].iter_rows(values_only=True)]
    by_label = {row[0]: row[1:] for row in rows if row and row[0]}

    columns = (score.current, score.planned)
    assert by_label[presenters.SCORE_LABEL][:2] == [float(column.score) for column in columns]
    assert by_label[presenters.SHAPE_LABEL][:2] == [
        presenters.shape_words(column.shape) for column in columns
    ]
    assert by_label[presenters.ORDERING_LABEL][:2] == [
        presenters.yes_no(column.ordering_holds) for column in columns
    ]
    assert by_label[presenters.MOVES_LABEL][:2] == [
        float(column.moves_needed_fte) for column in columns
    ]
    header = by_label["Band"]
    assert presenters.LABELS["gap"] in header
    current_at = header.index("Current status")
    planned_at = header.index("Planned status")
    for band in score.current.bands:
        cells = by_label[presenters.band_row(band.band, band, band)["label"]]
        assert cells[current_at] == presenters.BAND_STATUS_WORDS[band.status]
        planned = score.planned.band(band.band)
        assert cells[planned_at] == presenters.BAND_STATUS_WORDS[planned.status]
    every_cell = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert_no_drift(every_cell, "the XLSX export")


def test_the_csv_export_carries_no_drifted_words(planner_web, plan, score):
    response = planner_web.get(reverse("plans:export", args=[plan.pk]) + "?as=csv")
    assert response.status_code == 200
    assert_no_drift(response.content.decode("utf-8-sig"), "the CSV export")


def test_the_score_api_carries_the_domain_codes(planner_client, plan, score):
    body = planner_client.get(f"/api/v1/plans/{plan.pk}/score/").json()

    for name, column in (("current", score.current), ("planned", score.planned)):
        assert body[name]["shape"] == column.shape == "training_centric"
        assert body[name]["shape"] in presenters.SHAPE_WORDS
        assert {item["band"]: item["status"] for item in body[name]["bands"]} == {
            band.band.value: band.status for band in column.bands
        }
        assert {item["status"] for item in body[name]["bands"]} <= set(presenters.BAND_STATUS_WORDS)
    for words in DRIFT_WORDS:
        assert words not in str(body).lower(), f"the score API says {words!r}"


def test_the_suggestion_reasons_are_the_same_on_the_page_and_in_the_api(
    planner_web, planner_client, plan, score
):
    params = "?mode=reassign&step=0.5"
    page = PageText(
        planner_web.get(reverse("plans:suggestions", args=[plan.pk]) + params).content.decode()
    )
    body = planner_client.get(f"/api/v1/plans/{plan.pk}/suggestions/{params}").json()

    suggestion = scenarios.plan_suggestions(plan=plan, mode="reassign", step=Decimal("0.5"))
    currency = plan.organization.currency
    expected = [
        presenters.suggestion_reason(action, suggestion, currency) for action in suggestion.actions
    ]
    assert expected, "the plan needs suggestions for this test"
    assert [action["reason"] for action in body["actions"]] == expected
    table = [row for row in page.rows if row and row[0] != "Role"]
    assert [row[-1] for row in table] == expected
    assert body["summary"]["text"] == presenters.suggestion_summary(suggestion, currency)
    assert presenters.suggestion_summary(suggestion, currency) in page.text
    assert_no_drift(page.text, "the suggestions page")


@pytest.mark.parametrize(
    "removed, added, words",
    [
        ("8.5", "6.5", ["move 6.5 FTE between bands", "take 2.0 FTE out"]),
        ("3", "3", ["move 3.0 FTE between bands"]),
        ("0", "55", ["add 55.0 FTE"]),
        ("2", "0", ["take 2.0 FTE out"]),
        ("1", "4", ["move 1.0 FTE between bands", "add 3.0 FTE"]),
    ],
)
def test_changes_are_worded_as_people_moved_cut_or_hired(removed, added, words):
    assert presenters.change_parts(Decimal(removed), Decimal(added)) == words
