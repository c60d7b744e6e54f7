"""The staffing maths of DESIGN §10, as plain functions: no database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from plans.domain import staffing
from plans.domain.staffing import (
    EMPLOYEES_PER_LD_FTE,
    LD_FTE_PER_1000_EMPLOYEES,
    SPEND_PER_EMPLOYEE,
    Reference,
    StaffingInput,
    column_staffing,
)

D = Decimal
ATD_2021 = Reference(id=1, name="ATD 2021", metric=EMPLOYEES_PER_LD_FTE, value=D("385"), year=2021)
BERSIN = Reference(id=2, name="Bersin 2011", metric=LD_FTE_PER_1000_EMPLOYEES, value=D("5.2"))
ATD_SPEND = Reference(
    id=3, name="ATD 2025", metric=SPEND_PER_EMPLOYEE, value=D("1054"), currency="USD"
)
ALL = (ATD_2021, BERSIN, ATD_SPEND)

fte_strategy = st.decimals(min_value=D("0.1"), max_value=D("9999.9"), places=1)
employees_strategy = st.integers(min_value=1, max_value=10_000_000)
factor_strategy = st.integers(min_value=2, max_value=50)


def context(employees=5000, **kwargs) -> StaffingInput:
    return StaffingInput(employees=employees, currency=kwargs.pop("currency", "EUR"), **kwargs)


def test_the_issue_example_5000_employees_12_fte_against_atd_2021():
    result = column_staffing(D("12.0"), D("960000"), context(references=(ATD_2021,)))
    assert result.employees_per_fte == D("416.7")
    assert result.fte_per_1000 == D("2.40")
    assert result.cost_per_employee == D("192.00")
    [atd] = result.references
    assert atd.implied_fte == D("13.0")
    assert atd.gap_fte == D("1.0")
    assert atd.status == "below"
    assert result.reasons == ()


def test_fte_per_1000_reference_implies_employees_times_value():
    [bersin] = column_staffing(D("30"), D("0"), context(references=(BERSIN,))).references
    assert bersin.implied_fte == D("26.0")
    assert bersin.gap_fte == D("-4.0")
    assert bersin.status == "above"


def test_a_range_makes_the_status_within():
    ranged = Reference(
        id=9, name="r", metric=LD_FTE_PER_1000_EMPLOYEES, value=D("5"), low=D("4"), high=D("6")
    )
    [item] = column_staffing(D("22"), D("0"), context(references=(ranged,))).references
    assert (item.implied_fte, item.gap_fte, item.status) == (D("25.0"), D("3.0"), "within")
    [low] = column_staffing(D("19.9"), D("0"), context(references=(ranged,))).references
    assert low.status == "below"
    [high] = column_staffing(D("30.1"), D("0"), context(references=(ranged,))).references
    assert high.status == "above"


def test_money_in_another_currency_is_not_compared_without_a_rate():
    [spend] = column_staffing(D("10"), D("800000"), context(references=(ATD_SPEND,))).references
    assert spend.implied_fte is None and spend.status is None
    assert spend.reason == staffing.NOT_CONVERTED
    assert spend.value == D("1054") and not spend.converted


def test_money_goes_through_the_organizations_exchange_rate():
    rate = context(references=(ATD_SPEND,), exchange_currency="USD", exchange_rate=D("0.9"))
    [spend] = column_staffing(D("10"), D("800000"), rate).references
    # 1,054 USD × 0.9 = 948.60 EUR a head × 5,000 = 4,743,000 EUR at 80,000 EUR an FTE.
    assert spend.converted and spend.value == D("948.600")
    assert spend.implied_fte == D("59.3")
    assert spend.gap_fte == D("49.3")


def test_money_in_the_same_currency_needs_no_rate():
    usd = context(references=(ATD_SPEND,), currency="USD")
    [spend] = column_staffing(D("10"), D("1000000"), usd).references
    assert spend.implied_fte == D("52.7") and not spend.converted


def test_unknown_employees_give_null_figures_with_a_reason():
    result = column_staffing(D("12"), D("1000"), context(employees=None, references=ALL))
    assert result.employees_per_fte is None and result.fte_per_1000 is None
    assert result.cost_per_employee is None
    assert result.reasons == (staffing.EMPLOYEES_UNKNOWN,)
    assert [item.implied_fte for item in result.references] == [None, None, None]
    assert [item.reason for item in result.references] == [
        staffing.EMPLOYEES_UNKNOWN,
        staffing.EMPLOYEES_UNKNOWN,
        staffing.NOT_CONVERTED,
    ]


def test_zero_fte_is_no_error():
    result = column_staffing(D("0"), D("0"), context(references=ALL, currency="USD"))
    assert result.employees_per_fte is None
    assert result.fte_per_1000 == D("0.00")
    assert result.reasons == (staffing.NO_FTE,)
    atd, bersin, spend = result.references
    assert atd.implied_fte == D("13.0") and atd.gap_fte == D("13.0") and atd.status == "below"
    assert bersin.implied_fte == D("26.0")
    assert spend.implied_fte is None and spend.reason == staffing.NO_FTE


def test_default_implied_fte_takes_the_headcount_ratio_first():
    result = column_staffing(D("12"), D("0"), context(references=(BERSIN, ATD_2021)))
    assert staffing.default_implied_fte(result) == D("13.0")
    empty = column_staffing(D("12"), D("0"), context(employees=None, references=ALL))
    assert staffing.default_implied_fte(empty) is None


@given(employees_strategy, fte_strategy, factor_strategy)
def test_ratios_are_scale_free(employees, fte, factor):
    cost = fte * 70000
    small = column_staffing(fte, cost, context(employees))
    large = column_staffing(fte * factor, cost * factor, context(employees * factor))
    assert small.employees_per_fte == large.employees_per_fte
    assert small.fte_per_1000 == large.fte_per_1000
    assert small.cost_per_employee == large.cost_per_employee


@given(
    employees_strategy, fte_strategy, st.decimals(min_value=D("1"), max_value=D("5000"), places=2)
)
def test_implied_fte_rounds_half_up_to_one_decimal_and_the_gap_is_exact(employees, fte, value):
    reference = Reference(id=1, name="x", metric=EMPLOYEES_PER_LD_FTE, value=value)
    [item] = column_staffing(fte, D(0), context(employees, references=(reference,))).references
    exact = D(employees) / value
    assert item.implied_fte == item.implied_fte.quantize(D("0.1"))
    assert abs(item.implied_fte - exact) <= D("0.05")
    assert item.gap_fte == item.implied_fte - fte
    expected = "below" if item.gap_fte > 0 else "above" if item.gap_fte < 0 else "within"
    assert item.status == expected


@given(employees_strategy, st.decimals(min_value=D("1"), max_value=D("5000"), places=2))
def test_the_two_headcount_metrics_agree_when_they_say_the_same(employees, per_fte):
    """1 FTE per N employees is 1,000/N FTE per 1,000: both imply the same rounded FTE when the
    exact figures agree (implied FTE rounds the same way whichever metric is used)."""
    per_thousand = D(1000) / per_fte
    a = staffing.exact_implied_fte(EMPLOYEES_PER_LD_FTE, per_fte, employees, None)
    b = staffing.exact_implied_fte(LD_FTE_PER_1000_EMPLOYEES, per_thousand, employees, None)
    assert abs(a - b) < D("1e-20")


def test_implied_fte_rounds_half_up():
    assert staffing.round_fte(D("13.05")) == D("13.1")
    assert staffing.round_fte(D("13.0499")) == D("13.0")
    assert staffing.implied_fte(EMPLOYEES_PER_LD_FTE, D("400"), 5220) == D("13.1")  # 13.05


@given(employees_strategy, fte_strategy, factor_strategy)
def test_implied_fte_scales_with_the_employees(employees, fte, factor):
    exact = staffing.exact_implied_fte(LD_FTE_PER_1000_EMPLOYEES, D("5.2"), employees, None)
    scaled = staffing.exact_implied_fte(
        LD_FTE_PER_1000_EMPLOYEES, D("5.2"), employees * factor, None
    )
    assert scaled == exact * factor
