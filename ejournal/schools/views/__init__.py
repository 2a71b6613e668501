"""Pages of the school structure: the calendar of the year, classes, enrolment and subgroups."""

from .calendar import (
    calendar,
    holiday_create,
    holiday_delete,
    holiday_update,
    scheme_create,
    scheme_delete,
    scheme_update,
    year_create,
    year_update,
)
from .classes import (
    class_create,
    class_detail,
    class_enrol,
    class_list,
    class_new_student,
    class_teachers,
    class_transfer,
    class_withdraw,
    subgroup_create,
    subgroup_members,
)
from .school_settings import school_settings

__all__ = [
    "calendar",
    "class_create",
    "class_detail",
    "class_enrol",
    "class_list",
    "class_new_student",
    "class_teachers",
    "class_transfer",
    "class_withdraw",
    "holiday_create",
    "holiday_delete",
    "holiday_update",
    "scheme_create",
    "scheme_delete",
    "scheme_update",
    "school_settings",
    "subgroup_create",
    "subgroup_members",
    "year_create",
    "year_update",
]
