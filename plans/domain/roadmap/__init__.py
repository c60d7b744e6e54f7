"""The reskilling roadmap of DESIGN §9: who moves where (`matching`), and when (`schedule`).

Pure Python, no Django import, no words: the reasons for a move, the learning-network texts and
the quarter labels are in `plans.presenters`; the timeline's geometry is in `plans.charts`.
"""

from plans.domain.roadmap.matching import (
    AFFINITIES,
    DISCIPLINE_BAND,
    GOOD,
    MAX_AFFINITY,
    NONE,
    SOME,
    STRONG,
    TENTH,
    Move,
    RoadmapError,
    RoleChange,
    affinity,
    from_units,
    match,
    role_order,
    to_units,
)
from plans.domain.roadmap.schedule import (
    EXIT,
    HIRE,
    KINDS,
    LEARNING_PLAN_FIELDS,
    MAX_QUARTERS,
    MOVE,
    Roadmap,
    Transition,
    add_quarters,
    build_roadmap,
    first_quarter_start,
)

__all__ = [
    "AFFINITIES",
    "DISCIPLINE_BAND",
    "EXIT",
    "GOOD",
    "HIRE",
    "KINDS",
    "LEARNING_PLAN_FIELDS",
    "MAX_AFFINITY",
    "MAX_QUARTERS",
    "MOVE",
    "NONE",
    "SOME",
    "STRONG",
    "TENTH",
    "Move",
    "Roadmap",
    "RoadmapError",
    "RoleChange",
    "Transition",
    "add_quarters",
    "affinity",
    "build_roadmap",
    "first_quarter_start",
    "from_units",
    "match",
    "role_order",
    "to_units",
]
