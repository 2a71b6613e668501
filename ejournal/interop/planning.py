"""The plan of an import file: the kind's planner over the file's rows against the school as it is now.

Its own module because the planners live in two: `parents` builds on the helpers of `plans`, so the
dispatch over both cannot sit in `plans` without a circle.
"""

from __future__ import annotations

import datetime as dt

from ejournal.schools.models import AcademicYear

from .kinds import SPECS, ImportKind, find_layout
from .parents import plan_parents
from .plans import Plan, Reader, plan_classes, plan_staff, plan_students
from .snapshot import load_snapshot
from .tables import Row


def build_plan(*, kind: str, rows: list[Row], school_id: int, year: AcademicYear, start: dt.date) -> Plan:
    """The plan of a file of one kind against the school as it is now. Raises TableError for a file whose
    columns do not fit the kind."""
    spec = SPECS[kind]
    layout = find_layout(spec, rows)
    data = [r for r in rows if r.number > layout.header_row]
    reader = Reader(layout, load_snapshot(school_id=school_id, year=year, start=start), start)
    if kind == ImportKind.CLASSES:
        plans = plan_classes(reader, data, year)
    elif kind == ImportKind.STUDENTS:
        plans = plan_students(reader, data, year)
    elif kind == ImportKind.PARENTS:
        plans = plan_parents(reader, data)
    else:
        plans = plan_staff(reader, data)
    return Plan(plans)
