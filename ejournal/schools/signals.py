"""Hooks through which the apps above schools guard the data they keep on the school's calendar.

Schools knows nothing of lessons (curriculum depends on schools, not the other way round), yet a year must
not shrink past a lesson, and a day with a written lesson must not become a holiday. Curriculum connects
its checks in its `ready()`. The services send these inside their transaction with `send()`, not
`send_robust()`: a receiver refuses by raising a DomainError, which reaches the caller unchanged and rolls
back the change.
"""

from __future__ import annotations

from django.dispatch import Signal

# Before a year's dates change. Arguments: year (with the old dates), start, end, where (the Russian name of
# what is being changed, to begin the refusal with).
year_dates_changing = Signal()

# Before days become holidays of grades grade_from..grade_to. Arguments: year, start, end, grade_from,
# grade_to, where.
days_closing = Signal()
