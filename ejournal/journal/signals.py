"""Events of the journal for other parts of the product (informing parents, reports).

Sent only after the transaction commits, so a listener never sees a change that was rolled back.
The notifications app connects its receivers to these; the journal knows nothing of channels.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: school_id, lesson_id, student_id, actor_id, marks (tuple of values now in the cell),
# previous (tuple of values before).
marks_changed = Signal()

# kwargs: school_id, lesson_id, student_id, actor_id, code (the new code or ""), previous.
attendance_changed = Signal()

# kwargs: school_id, period_mark_id (None when removed), student_id, subject_id, kind, value, previous.
period_mark_changed = Signal()

# kwargs: school_id, lesson_id, actor_id, text, due_date.
homework_changed = Signal()
