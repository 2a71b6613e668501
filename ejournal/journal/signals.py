"""Events of the journal for other parts of the product (informing parents, reports).

Sent inside the write's transaction, with `send()` (never `send_robust` or `on_commit`): a receiver
writes its outbox row in that transaction, so the row commits or rolls back with the change, and a
receiver that fails fails the write: no change without its event, no event without its change. A
receiver must therefore only write rows (one INSERT) and leave any sending to the worker after commit.
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
