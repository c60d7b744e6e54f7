"""The scoring maths of DESIGN §4, as plain functions: no database."""

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from plans import presenters
from plans.domain.scoring import score_column, score_from_band_fte, score_plan
from plans.domain.types import LineInput, TargetInput
from roles.bands import BANDS, Band

D = Decimal
MODERN = TargetInput(
    targets={Band.EXPERIENTIAL: D("0.7"), Band.SOCIAL: D("0.2"), Band.FORMAL: D("0.1")},
    tolerance=D("0.05"),
)


def line(
    band: Band | dict,
    current: str | Decimal,
    planned: str | Decimal | None = None,
    cost: str = "0",
    role_id: int = 0,
) -> LineInput:
    split = band if isinstance(band, dict) else {b: D(1 if b == band else 0) for b in BANDS}
    return LineInput(
        role_id=role_id,
        title=f"role {role_id}",
        band_split=split,
        current_fte=D(current),
        planned_fte=D(current if planned is None else planned),
        annual_cost=D(cost),
    )


def mix(experiential, social, formal) -> list[LineInput]:
    return [
        line(Band.EXPERIENTIAL, str(experiential), role_id=1),
        line(Band.SOCIAL, str(social), role_id=2),
        line(Band.FORMAL, str(formal), role_id=3),
    ]


# --- the worked examples of DESIGN §4 --------------------------------------------------------


def test_seven_two_one_scores_100_and_is_modern():
    result = score_column(mix(7, 2, 1), MODERN, "current")
    assert result.score == D("100.0")
    assert result.distance == D("0")
    assert result.moves_needed_fte == D("0")
    assert result.shape == "modern"
    assert [band.status for band in result.bands] == ["on_target"] * 3


def test_five_three_two_scores_77_8_with_two_fte_to_move():
    result = score_column(mix(5, 3, 2), MODERN, "current")
    assert result.score == D("77.8")
    assert result.distance == D("0.2000")
    assert result.moves_needed_fte == D("2.00")
    assert result.band(Band.EXPERIENTIAL).status == "under"
    assert result.band(Band.EXPERIENTIAL).gap_fte == D("2.00")
    assert result.band(Band.SOCIAL).status == "over"
    assert result.band(Band.FORMAL).gap_fte == D("-1.00")


def test_all_trainers_scores_0_and_is_training_centric():
    result = score_column(mix(0, 0, 12), MODERN, "current")
    assert result.score == D("0.0")
    assert result.shape == "training_centric"
    assert result.moves_needed_fte == D("10.80")
    assert result.ordering_holds is False


# --- edge cases --------------------------------------------------------------------------------


def test_empty_column_has_null_score_and_a_reason():
    result = score_column([], MODERN, "planned")
    assert result.score is None and result.shape is None and result.distance is None
    assert result.total_fte == D("0.00")
    assert result.reason == "no_fte"  # a code: presenters word it
    assert "No FTE" in presenters.column_reason(result)
    assert all(band.share is None and band.status is None for band in result.bands)


def test_lines_with_zero_fte_count_as_empty():
    result = score_column(mix(0, 0, 0), MODERN, "current")
    assert result.score is None


def test_single_band_experiential_only():
    result = score_column(mix(4, 0, 0), MODERN, "current")
    # D = 1/2 (0.3 + 0.2 + 0.1) = 0.3; D_max = 0.9 -> 100 * (1 - 1/3) = 66.7
    assert result.score == D("66.7")
    assert result.shape == "modern"  # 1 >= 0 >= 0 follows the order


def test_split_role_counts_in_each_band():
    split = {Band.EXPERIENTIAL: D("0"), Band.SOCIAL: D("0.6"), Band.FORMAL: D("0.4")}
    result = score_column([line(split, "5", cost="100000")], MODERN, "current")
    assert result.band(Band.SOCIAL).fte == D("3.00")
    assert result.band(Band.FORMAL).fte == D("2.00")
    assert result.band(Band.SOCIAL).cost == D("300000.00")
    assert result.cost == D("500000.00")


def test_custom_target_model_uses_its_own_distance_max():
    compliance = TargetInput(
        targets={Band.EXPERIENTIAL: D("0.4"), Band.SOCIAL: D("0.3"), Band.FORMAL: D("0.3")},
        tolerance=D("0.05"),
    )
    on_target = score_column(mix(4, 3, 3), compliance, "current")
    assert on_target.score == D("100.0")
    worst = score_column(mix(0, 1, 0), compliance, "current")  # D = 0.7 = D_max
    assert worst.score == D("0.0")
    half = score_column(mix(4, 6, 0), compliance, "current")  # D = 0.3 -> 100 (1 - 3/7)
    assert half.score == D("57.1")


def test_values_exactly_on_the_tolerance_edge_are_on_target():
    result = score_column(mix(75, 15, 10), MODERN, "current")
    assert [band.status for band in result.bands] == ["on_target", "on_target", "on_target"]
    beyond = score_column(mix(751, 149, 100), MODERN, "current")
    assert [band.status for band in beyond.bands] == ["over", "under", "on_target"]


def test_mixed_shape_when_neither_modern_nor_training_led():
    assert score_column(mix(2, 5, 3), MODERN, "current").shape == "mixed"
    # formal tied for largest is not "strictly the largest": mixed
    assert score_column(mix(1, 4, 4), MODERN, "current").shape == "mixed"


def test_plan_scores_current_and_planned_separately():
    lines = [
        line(Band.FORMAL, "10", "1", cost="60000"),
        line(Band.EXPERIENTIAL, "0", "7"),
        line(Band.SOCIAL, "0", "2"),
    ]
    result = score_plan(lines, MODERN)
    assert result.current.score == D("0.0")
    assert result.planned.score == D("100.0")
    assert result.current.cost == D("600000.00")
    assert result.planned.cost == D("60000.00")


def test_rounding_is_half_up_at_one_decimal():
    # 6/3/1: D = 1/2 (0.1 + 0.1 + 0) = 0.1 -> 100 (1 - 1/9) = 88.888... -> 88.9
    assert score_column(mix(6, 3, 1), MODERN, "current").score == D("88.9")
    # 1/2 : D_max 0.9, D = 0.45 gives exactly 50.0
    result = score_column(mix(D("2.5"), D("6.5"), D("1")), MODERN, "current")
    assert result.score == D("50.0")


# --- properties --------------------------------------------------------------------------------

fte = st.integers(min_value=0, max_value=5000).map(lambda tenths: D(tenths) / 10)
percent_split = (
    st.tuples(*(st.integers(0, 100) for _ in range(2)))
    .filter(lambda pair: sum(pair) <= 100)
    .map(
        lambda pair: {
            Band.EXPERIENTIAL: D(pair[0]) / 100,
            Band.SOCIAL: D(pair[1]) / 100,
            Band.FORMAL: D(100 - pair[0] - pair[1]) / 100,
        }
    )
)
lines_strategy = st.lists(
    st.builds(
        lambda split, current, planned, role_id: LineInput(
            role_id=role_id,
            title="r",
            band_split=split,
            current_fte=current,
            planned_fte=planned,
            annual_cost=D("50000"),
        ),
        percent_split,
        fte,
        fte,
        st.integers(1, 10_000),
    ),
    max_size=25,
)
targets_strategy = (
    st.tuples(st.integers(0, 100), st.integers(0, 100))
    .filter(lambda pair: sum(pair) <= 100)
    .map(
        lambda pair: TargetInput(
            targets={
                Band.EXPERIENTIAL: D(pair[0]) / 100,
                Band.SOCIAL: D(pair[1]) / 100,
                Band.FORMAL: D(100 - pair[0] - pair[1]) / 100,
            },
            tolerance=D("0.05"),
        )
    )
)


@given(lines_strategy, targets_strategy)
def test_score_is_between_0_and_100(lines, target):
    for column in ("current", "planned"):
        result = score_column(lines, target, column)
        if result.total_fte == 0:
            assert result.score is None
        else:
            assert D(0) <= result.score <= D(100)


@given(targets_strategy, st.integers(1, 30))
def test_exactly_on_target_scores_100(target, multiple):
    lines = [
        line(band, D(multiple) * target.targets[band] * 10, role_id=i)
        for i, band in enumerate(BANDS)
    ]
    result = score_column(lines, target, "current")
    assert result.score == D("100.0")
    assert result.moves_needed_fte == D("0")


@given(lines_strategy, targets_strategy, st.randoms(use_true_random=False))
def test_line_order_changes_nothing(lines, target, rng: random.Random):
    shuffled = list(lines)
    rng.shuffle(shuffled)
    assert score_plan(lines, target) == score_plan(shuffled, target)


@given(lines_strategy, targets_strategy, st.integers(2, 20))
def test_multiplying_every_fte_by_a_factor_changes_nothing(lines, target, factor):
    scaled = [
        LineInput(
            role_id=x.role_id,
            title=x.title,
            band_split=x.band_split,
            current_fte=x.current_fte * factor,
            planned_fte=x.planned_fte * factor,
            annual_cost=x.annual_cost,
        )
        for x in lines
    ]
    for column in ("current", "planned"):
        before, after = score_column(lines, target, column), score_column(scaled, target, column)
        assert (after.score, after.distance, after.shape) == (
            before.score,
            before.distance,
            before.shape,
        )
        assert [b.status for b in after.bands] == [b.status for b in before.bands]
        assert [b.share for b in after.bands] == [b.share for b in before.bands]


@settings(max_examples=300)
@given(st.tuples(fte, fte, fte), targets_strategy, st.data())
def test_moving_fte_from_an_over_to_an_under_target_band_never_lowers_the_score(
    fte_per_band, target, data
):
    band_fte = dict(zip(BANDS, fte_per_band, strict=True))
    total = sum(band_fte.values())
    if total == 0:
        return
    over = [b for b in BANDS if band_fte[b] / total > target.targets[b]]
    under = [b for b in BANDS if band_fte[b] / total < target.targets[b]]
    if not over or not under:
        return
    source, destination = data.draw(st.sampled_from(over)), data.draw(st.sampled_from(under))
    surplus = band_fte[source] - target.targets[source] * total
    shortfall = target.targets[destination] * total - band_fte[destination]
    limit = int(min(surplus, shortfall) * 10)
    if limit < 1:
        return
    moved = D(data.draw(st.integers(1, limit))) / 10
    before = score_column(
        [line(b, band_fte[b], role_id=i) for i, b in enumerate(BANDS)], target, "current"
    )
    band_fte[source] -= moved
    band_fte[destination] += moved
    after = score_column(
        [line(b, band_fte[b], role_id=i) for i, b in enumerate(BANDS)], target, "current"
    )
    assert after.score >= before.score
    # The exact distance strictly falls (the reported one is rounded to 4 places).
    exact_after = score_from_band_fte(band_fte, target)[1]
    band_fte[source] += moved
    band_fte[destination] -= moved
    assert exact_after < score_from_band_fte(band_fte, target)[1]
