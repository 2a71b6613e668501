"""Which help goes where, in one place: the help topic of each main page (by URL name) and the audience of
every help document (access/help.py). The texts are Markdown files: topics/<topic>.md (the short help panel
of a page) and userdocs/<doc>.md (the user docs, docs/user of the repository, linked into the package)."""

from __future__ import annotations

from ejournal.access.help import ALL, MANAGEMENT, STAFF

# URL name -> topic. A page not listed has no help panel; every topic file is used here (a test checks both).
PAGES: dict[str, str] = {
    "home": "home",
    "journal:index": "journal-grid",
    "journal:grid": "journal-grid",
    "journal:grid_as_of": "journal-grid",
    "journal:summary": "journal-year",
    "journal:class_overview": "class-overview",
    "diary:week": "diary",
    "diary:student_week": "diary",
    "diary:marks": "diary",
    "diary:student_marks": "diary",
    "diary:homework": "diary",
    "diary:student_homework": "diary",
    "diary:results": "diary",
    "diary:student_results": "diary",
    "reports:index": "reports",
    "reports:school": "reports",
    "reports:teacher": "reports",
    "reports:classes": "reports",
    "reports:class": "reports",
    "reports:journal": "reports",
    "reports:student": "reports",
    "reports:attendance": "reports",
    "reports:journal_keeping": "reports",
    "reports:program_execution": "reports",
    "people:list": "people",
    "people:detail": "people",
    "interop:list": "imports",
    "interop:detail": "imports",
    "curriculum:timetable": "timetable",
    "curriculum:teacher_week": "timetable",
    "archive:backups": "backups",
    "archive:periods": "period-archive",
    "printing:book": "printing",
    "printing:stored": "printing",
    "hours:index": "hours",
    "hours:teacher": "hours",
    "retention:register": "retention",
    "status:page": "status",
}

# Topic -> audience in the help centre. On its own page a topic is always shown: the page is already guarded.
TOPICS: dict[str, str] = {
    "home": ALL,
    "journal-grid": STAFF,
    "journal-year": STAFF,
    "class-overview": STAFF,
    "diary": ALL,
    "reports": STAFF,
    "people": MANAGEMENT,
    "imports": MANAGEMENT,
    "timetable": STAFF,
    "backups": MANAGEMENT,
    "period-archive": MANAGEMENT,
    "printing": STAFF,
    "hours": STAFF,
    "retention": MANAGEMENT,
    "status": MANAGEMENT,
}

# User doc -> audience. A doc added to docs/user without an entry is shown to the staff only (the safe side).
DOCS: dict[str, str] = {
    "help": ALL,
    "login": ALL,
    "parents": ALL,
    "notifications": ALL,
    "support": ALL,
    "teacher": STAFF,
    "class_teacher": STAFF,
    "reports": STAFF,
    "printing": STAFF,
    "hours": STAFF,
    "administrator": MANAGEMENT,
    "people": MANAGEMENT,
    "imports": MANAGEMENT,
    "backups": MANAGEMENT,
    "archive": MANAGEMENT,
    "status": MANAGEMENT,
}
DEFAULT_DOC_AUDIENCE = STAFF
