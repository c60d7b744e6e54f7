"""The size of an L&D department against published benchmarks (DESIGN §10). Pure: no Django.

Contract:
- a column's figures: `employees_per_fte = employees / fte` (one decimal), `fte_per_1000 =
  fte × 1,000 / employees` (two decimals), `cost_per_employee = annual cost / employees` (two
  decimals). A figure that cannot be computed is None and `reasons` says why (employees unknown,
  no FTE in the column); nothing raises.
- each reference implies an FTE for the employees served, rounded half up to one decimal:
  employees per L&D FTE: `employees / value`; L&D FTE per 1,000 employees: `employees × value /
  1,000`; spend per employee: `employees × value / (annual cost / fte)`, the FTE the spend
  would pay at this column's average cost per FTE (money only in the organization's currency,
  directly or through its exchange rate; otherwise shown unconverted with a reason).
- `gap_fte = implied_fte − fte` (positive: the reference suggests more), and `status` is
  `below` / `within` / `above` the FTE range the reference implies (its low/high range, or the
  value alone, each rounded like `implied_fte`).
Ratios are scale-free: multiplying employees and FTE (and cost) by the same factor leaves them
unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

EMPLOYEES_PER_LD_FTE = "employees_per_ld_fte"
LD_FTE_PER_1000_EMPLOYEES = "ld_fte_per_1000_employees"
SPEND_PER_EMPLOYEE = "spend_per_employee"
METRICS = (EMPLOYEES_PER_LD_FTE, LD_FTE_PER_1000_EMPLOYEES, SPEND_PER_EMPLOYEE)

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")
THOUSAND = Decimal(1000)

# Reason codes (presenters word them).
EMPLOYEES_UNKNOWN = "employees_unknown"
NO_FTE = "no_fte"
NOT_CONVERTED = "not_converted"

Status = Literal["below", "within", "above"]


@dataclass(frozen=True, slots=True)
class Reference:
    """A benchmark as the maths sees it."""

    id: int
    name: str
    metric: str
    value: Decimal
    year: int | None = None
    source: str = ""
    source_url: str = ""
    low: Decimal | None = None
    high: Decimal | None = None
    currency: str = ""


@dataclass(frozen=True, slots=True)
class StaffingInput:
    """What sizing needs besides the column: who is served, the money, the references."""

    employees: int | None
    currency: str = ""
    exchange_currency: str = ""
    exchange_rate: Decimal | None = None
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class ReferenceComparison:
    """One reference compared with a column."""

    reference: Reference
    value: Decimal  # in the organization's currency when converted, else as published
    converted: bool  # True when a money value went through the exchange rate
    implied_fte: Decimal | None
    gap_fte: Decimal | None
    status: Status | None
    reason: str | None = None

    @property
    def metric(self) -> str:
        return self.reference.metric


@dataclass(frozen=True, slots=True)
class Staffing:
    """A column's size: its ratios, and each reference's implied FTE and gap."""

    employees: int | None
    fte: Decimal
    employees_per_fte: Decimal | None
    fte_per_1000: Decimal | None
    cost_per_employee: Decimal | None
    currency: str
    references: tuple[ReferenceComparison, ...]
    reasons: tuple[str, ...] = ()


def round_fte(value: Decimal) -> Decimal:
    """FTE to one decimal, half up (13.05 -> 13.1), the same way everywhere."""
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _places(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def employees_per_fte(employees: int, fte: Decimal) -> Decimal | None:
    """Employees per L&D FTE, one decimal (None without FTE)."""
    if fte <= 0:
        return None
    return _places(Decimal(employees) / fte, ONE_PLACE)


def fte_per_1000(employees: int, fte: Decimal) -> Decimal:
    """L&D FTE per 1,000 employees, two decimals."""
    return _places(fte * THOUSAND / Decimal(employees), TWO_PLACES)


def cost_per_employee(employees: int, cost: Decimal) -> Decimal:
    """Annual L&D staff cost per employee served, two decimals."""
    return _places(cost / Decimal(employees), TWO_PLACES)


def money_value(reference: Reference, context: StaffingInput) -> tuple[Decimal, bool] | None:
    """A money reference in the organization's currency: (value, converted), or None when it
    cannot be compared (another currency and no rate for it)."""
    if reference.currency in ("", context.currency):
        return reference.value, False
    if (
        context.exchange_rate is not None
        and context.exchange_rate > 0
        and reference.currency == context.exchange_currency
    ):
        return reference.value * context.exchange_rate, True
    return None


def exact_implied_fte(
    metric: str, value: Decimal, employees: int, cost_per_fte: Decimal | None
) -> Decimal | None:
    """The FTE a figure implies for `employees`, unrounded (None: cannot be known)."""
    if value <= 0:
        return None
    if metric == EMPLOYEES_PER_LD_FTE:
        return Decimal(employees) / value
    if metric == LD_FTE_PER_1000_EMPLOYEES:
        return Decimal(employees) * value / THOUSAND
    if metric == SPEND_PER_EMPLOYEE and cost_per_fte:
        return Decimal(employees) * value / cost_per_fte
    return None


def implied_fte(
    metric: str, value: Decimal, employees: int, cost_per_fte: Decimal | None = None
) -> Decimal | None:
    """The FTE a figure implies for `employees`, rounded like every FTE (one decimal)."""
    exact = exact_implied_fte(metric, value, employees, cost_per_fte)
    return None if exact is None else round_fte(exact)


def _implied_range(
    reference: Reference, scale: Decimal, employees: int, cost_per_fte: Decimal | None
) -> tuple[Decimal, Decimal] | None:
    """The FTE range the reference's low/high imply (the value alone without a range)."""
    ends = []
    for bound in (reference.low, reference.high):
        figure = reference.value if bound is None else bound
        ends.append(implied_fte(reference.metric, figure * scale, employees, cost_per_fte))
    if None in ends:
        return None
    return min(ends), max(ends)


def status_for(fte: Decimal, low: Decimal, high: Decimal) -> Status:
    if fte < low:
        return "below"
    if fte > high:
        return "above"
    return "within"


def compare(
    reference: Reference, context: StaffingInput, fte: Decimal, cost: Decimal
) -> ReferenceComparison:
    """One reference against a column of `fte` costing `cost` a year."""
    value, converted = reference.value, False
    if reference.metric == SPEND_PER_EMPLOYEE:
        money = money_value(reference, context)
        if money is None:
            return ReferenceComparison(reference, value, False, None, None, None, NOT_CONVERTED)
        value, converted = money
    if not context.employees:
        return ReferenceComparison(reference, value, converted, None, None, None, EMPLOYEES_UNKNOWN)
    cost_per_fte = cost / fte if fte > 0 else None
    implied = implied_fte(reference.metric, value, context.employees, cost_per_fte)
    if implied is None:
        return ReferenceComparison(reference, value, converted, None, None, None, NO_FTE)
    scale = value / reference.value
    low, high = _implied_range(reference, scale, context.employees, cost_per_fte)
    return ReferenceComparison(
        reference=reference,
        value=value,
        converted=converted,
        implied_fte=implied,
        gap_fte=implied - fte,
        status=status_for(fte, low, high),
    )


def column_staffing(fte: Decimal, cost: Decimal, context: StaffingInput) -> Staffing:
    """A column of `fte` L&D FTE costing `cost` a year, sized against the context's references."""
    references = tuple(compare(reference, context, fte, cost) for reference in context.references)
    employees = context.employees
    if employees is None or employees <= 0:
        return Staffing(
            employees=None,
            fte=fte,
            employees_per_fte=None,
            fte_per_1000=None,
            cost_per_employee=None,
            currency=context.currency,
            references=references,
            reasons=(EMPLOYEES_UNKNOWN,),
        )
    return Staffing(
        employees=employees,
        fte=fte,
        employees_per_fte=employees_per_fte(employees, fte),
        fte_per_1000=fte_per_1000(employees, fte),
        cost_per_employee=cost_per_employee(employees, cost),
        currency=context.currency,
        references=references,
        reasons=(NO_FTE,) if fte <= 0 else (),
    )


def reference_for(staffing: Staffing, metric: str) -> ReferenceComparison | None:
    """The staffing's comparison with its reference for `metric`, if any."""
    return next((item for item in staffing.references if item.metric == metric), None)


def default_implied_fte(staffing: Staffing) -> Decimal | None:
    """The implied FTE of the first reference that gives one, in metric order (headcount
    ratios first, money last): what "grow to the benchmark" grows to."""
    for metric in METRICS:
        found = reference_for(staffing, metric)
        if found is not None and found.implied_fte is not None:
            return found.implied_fte
    return None


@dataclass(frozen=True, slots=True)
class PlanStaffing:
    """Both columns of a plan, sized."""

    current: Staffing
    planned: Staffing

    def column(self, name: str) -> Staffing:
        return self.current if name == "current" else self.planned


def plan_staffing(score, context: StaffingInput) -> PlanStaffing:
    """Size both columns of a `PlanScore` (its total FTE and annual cost)."""
    return PlanStaffing(
        current=column_staffing(score.current.total_fte, score.current.cost, context),
        planned=column_staffing(score.planned.total_fte, score.planned.cost, context),
    )
