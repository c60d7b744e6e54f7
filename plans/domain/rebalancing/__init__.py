"""Rebalancing suggestions (DESIGN §5). Pure Python, no Django import.

Contract
--------
Input: a plan's lines (`LineInput`, the `planned` column), its target model, the mode, the step
and the plan's constraints, plus catalog *candidates* (`LineInput` with ``planned_fte = 0``) the
engine may propose when a band has no role of its own to grow. Output: a `Suggestion` with the
line-level actions and the resulting column score (computed with `plans.domain.scoring`).

Which lines move
    *Movable* lines are the unlocked lines whose role sits 100% in one band. Locked lines never
    change. Lines of split roles (people wearing several hats, e.g. 40% social / 60% formal) are
    kept as they are and count exactly by their split: changing them would move several bands at
    once, and the engine keeps the band-level problem exact rather than approximate.

The band-level problem (what is proved optimal)
    Band ``b`` holds ``a_b`` FTE today; the engine chooses an integer ``k_b`` and the band ends at
    ``a_b + k_b × step``. A band can shrink by at most the sum over its movable lines of
    ``floor(planned / step)`` steps (no line below 0), and grow only if it has a movable line or
    a catalog candidate. The compliance floor bounds ``formal`` from below, the headcount cap
    bounds the total, ``grow_to`` (grow only) bounds it from below. Modes say what may change:

    - ``reassign``: ``Σ k_b = 0``;
    - ``grow``: ``k_b ≥ 0``;
    - ``budget``: ``k_b`` of either sign; the total annual cost must end within the budget cap
      (hard: a plan over its cap is brought under it).

    Aims say what is best. "Changes" are the FTE changed, ``Σ|k_b|`` steps (at the role level
    the same: a band's lines all move one way):

    - ``tolerance`` (default): the fewest changes such that every band ends within target ±
      tolerance (ties: the best score; in budget mode the lowest cost); when no allowed point
      gets there, as ``best``;
    - ``best``: the best score as reported (one decimal), then the fewest changes (then, in
      budget mode, the lowest cost).

    When the plan's constraints cannot all hold, the violation is minimised in the order
    compliance floor, headcount cap, budget cap, grow-to (floor first: it is a compliance duty),
    and the constraint is named in ``binding_constraint``; never an error.

    The answer is exactly optimal for its key every time, with no work limit: `exact` solves
    it by branch and bound over the total (see there for the argument), proved against brute
    force on small problems and against an independent solver on large plans (tests).

Role-level rules (documented, deterministic)
    - Cuts in a band come from its most expensive movable lines first (then the larger line,
      then role id), each by whole steps and never below 0.
    - Additions go to the band's movable lines already in the plan. In ``reassign`` and ``grow``
      they are split proportionally to the lines' planned FTE in whole steps (largest remainder,
      ties to the larger line, then role id; all at 0 FTE: to the cheapest). In ``budget`` they
      all go to the cheapest movable line of the band, so that a band's cost is a fixed function
      of ``k_b`` (adds at the cheapest price, cuts from the most expensive) and the band-level
      optimum is exact for cost too.
    - A band with no movable line gets the cheapest candidate of that band (pure band, from the
      catalog roles the caller passes in; ties by title) as a new line.

All arithmetic is on integers (FTE, targets and costs scaled by powers of ten), so results are
exact and identical on every database.

Modules
    `problem` (the band-level problem and its bounds per mode), `exact` (the search for every
    mode and aim), `distribution` (from lines to the problem and from band changes back to
    roles) and `suggestion` (the entry point `suggest` and its result types).
    Actions and results carry codes and numbers; `plans.presenters` words them.
"""

from plans.domain.rebalancing.distribution import MIN_STEP
from plans.domain.rebalancing.exact import AIMS
from plans.domain.rebalancing.problem import (
    BINDING_CONSTRAINTS,
    MODES,
    BandProblem,
    BandSolution,
    Mode,
    allocate,
)
from plans.domain.rebalancing.suggestion import (
    DEFAULT_STEP,
    MAX_STEP,
    REASON_CODES,
    Action,
    RebalanceInputError,
    Suggestion,
    solve_band_problem,
    suggest,
    validate_aim,
    validate_mode,
    validate_step,
)

__all__ = [
    "AIMS",
    "BINDING_CONSTRAINTS",
    "DEFAULT_STEP",
    "MAX_STEP",
    "MIN_STEP",
    "MODES",
    "REASON_CODES",
    "Action",
    "BandProblem",
    "BandSolution",
    "Mode",
    "RebalanceInputError",
    "Suggestion",
    "allocate",
    "solve_band_problem",
    "suggest",
    "validate_aim",
    "validate_mode",
    "validate_step",
]
