import datetime as dt

from ejournal.curriculum import services
from ejournal.curriculum.models import Lesson


def test_weekly_slot_becomes_dated_lessons_skipping_holidays(small_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=2)
    result = services.generate_lessons(actor=s.admin, year=s.year)
    dates = list(Lesson.objects.filter(assignment=s.math_5a).values_list("date", flat=True))
    assert result.created == len(dates) > 25
    assert all(d.isoweekday() == 1 for d in dates)
    assert dt.date(2026, 10, 26) not in dates  # autumn holidays
    assert dt.date(2026, 9, 7) in dates
    again = services.generate_lessons(actor=s.admin, year=s.year)
    assert again.created == 0 and again.removed == 0
