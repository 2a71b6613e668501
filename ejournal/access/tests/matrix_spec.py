"""The authorization matrix: for every URL pattern of the product, who may open it, on which objects.

The patterns are walked from the URL configuration (admin/ and static files left out). Each pattern's
parameters are filled from the world (world.py) by their names; a pattern is tried on variants of its
objects:

- own:          the objects of school A in 5А (the math journal of `teacher`, the student who is the
                parent's child, …);
- other_class:  the same kind of object in 10А (`other_teacher` teaches there, nobody else of the actors);
- other_child:  another student of 5А (not the parent's child, not the student actor);
- other_school: the objects of school B.

An entry says which actors may open the pattern on its own objects (GET), or that it accepts only POST
(then only the refusals are checked). Unless the entry says otherwise, on other_class the management keeps
access and `other_teacher` takes the place of `teacher`; on other_child the student and the parent lose
access; on other_school nobody has access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from .world import SchoolObjects

ACTORS = (
    "anonymous",
    "admin",
    "director",
    "deputy",
    "teacher",
    "other_teacher",
    "class_teacher",
    "student",
    "parent",
    "foreign_admin",
)
VARIANTS = ("own", "other_class", "other_child", "other_school")

ADMIN = frozenset({"admin"})
READERS = frozenset({"admin", "director"})  # the people pages, the security log
MGMT = frozenset({"admin", "director", "deputy"})
STRUCTURE = frozenset({"admin", "deputy"})
TEACHERS = frozenset({"teacher", "other_teacher", "class_teacher"})
STAFF = MGMT | TEACHERS
FAMILY = frozenset({"student", "parent"})
SCHOOL = STAFF | FAMILY
SIGNED_IN = SCHOOL | {"foreign_admin"}


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str
    params: tuple[str, ...]


Data = Mapping[str, object] | Callable[[SchoolObjects], Mapping[str, object]] | None


@dataclass(frozen=True)
class Entry:
    """`get`: who opens the pattern on own objects (GET answering 200, or a redirect elsewhere than to the
    login page). `post`: who may write through a pattern that answers no GET; only the refusals are sent
    (`method` with `data`, JSON for the API and the journal's endpoints), so nothing of the world changes.
    `public`: open to everyone, nothing behind it to protect. `variants`: allowed actors per variant where
    the default rule (module docstring) does not hold."""

    get: frozenset[str] | None = None
    post: frozenset[str] | None = None
    public: bool = False
    method: str = "post"
    data: Data = None
    json: bool = False
    variants: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def actors(self) -> frozenset[str]:
        found = self.get if self.get is not None else self.post
        assert found is not None
        return found


def walk(patterns: list | None = None, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every URL pattern of the product: route, full name and parameter names."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if route.startswith(("admin/", "static/", "media/")):
                continue
            name = ":".join(x for x in (namespace, p.name or "") if x)
            yield Pattern(route=route, name=name, params=tuple(p.pattern.converters))


# --- parameters by name ------------------------------------------------------------------------------------

Getter = Callable[[SchoolObjects], object]

# A parameter's value per variant; variants missing here take the own value (other_school: school B's).
ID_PARAMS: dict[str, dict[str, Getter]] = {
    "user_id": {"own": lambda o: o.student.pk, "other_child": lambda o: o.other_child.pk},
    "person_id": {"own": lambda o: o.student.pk, "other_child": lambda o: o.other_child.pk},
    "student_id": {
        "own": lambda o: o.student.pk,
        "other_class": lambda o: o.s.students_10a[0].pk,
        "other_child": lambda o: o.other_child.pk,
    },
    "session_id": {"own": lambda o: o.session.pk},
    "link_id": {"own": lambda o: o.link.pk},
    "class_id": {"own": lambda o: o.s.class_5a.pk, "other_class": lambda o: o.s.class_10a.pk},
    "year_id": {"own": lambda o: o.s.year.pk},
    "scheme_id": {"own": lambda o: o.scheme.pk},
    "holiday_id": {"own": lambda o: o.holiday.pk},
    "subgroup_id": {"own": lambda o: o.subgroup.pk},
    "assignment_id": {"own": lambda o: o.s.math_5a.pk, "other_class": lambda o: o.assignment_10a.pk},
    "lesson_id": {"own": lambda o: o.lesson.pk, "other_class": lambda o: o.lesson_10a.pk},
    "attachment_id": {"own": lambda o: o.attachment.pk},
    "homework_id": {"own": lambda o: o.homework.pk},
    "delivery_id": {"own": lambda o: o.delivery.pk},
    "report_id": {"own": lambda o: o.report.pk},
    "batch_id": {"own": lambda o: o.batch.pk},
    "period_id": {"own": lambda o: o.period.pk},
    "entry_id": {"own": lambda o: o.archive_entry.pk},  # a made period archive
    "copy_id": {"own": lambda o: o.copy_entry.pk},  # its copy-out to a disk
    "ticket_id": {"own": lambda o: o.ticket.pk},  # the parent's support request, with a file
    "training_id": {"own": lambda o: o.training.pk},  # a training session for parents
    "teacher_id": {"own": lambda o: o.s.teacher.pk, "other_class": lambda o: o.other_teacher.pk},
}
# `pk` means a different object under each prefix.
PK_BY_PREFIX: dict[str, dict[str, Getter]] = {
    "curriculum/subjects/": {"own": lambda o: o.s.math.pk},
    "curriculum/assignments/": ID_PARAMS["assignment_id"],
    "curriculum/plans/": ID_PARAMS["assignment_id"],
    "curriculum/changes/lesson/": ID_PARAMS["lesson_id"],
    "api/v1/years/": ID_PARAMS["year_id"],
    "api/v1/classes/": ID_PARAMS["class_id"],
    "api/v1/enrolments/": {"own": lambda o: o.enrolment.pk},
    "api/v1/assignments/": ID_PARAMS["assignment_id"],
    "api/v1/timetable-slots/": {"own": lambda o: o.slot.pk, "other_class": lambda o: o.slot_10a.pk},
    "api/v1/lessons/": ID_PARAMS["lesson_id"],
    "api/v1/people/": ID_PARAMS["person_id"],
    "api/v1/imports/": ID_PARAMS["batch_id"],
}
# Parameters that name no object of a school.
CONSTANTS = {
    "uidb64": "MQ",
    "token": "set-password",
    "provider": "esia",
    "secret": "not-the-bot-secret",
    "file_format": "xlsx",
    "kind": "students",
    "fmt": "csv",
    "role": "teacher",
    "topic": "home",  # help topics and docs read by everyone signed in
    "doc": "login",
}


def getters(pattern: Pattern) -> dict[str, dict[str, Getter]]:
    out = {}
    for param in pattern.params:
        if param in CONSTANTS:
            continue
        if param == "pk":
            prefix = next((p for p in PK_BY_PREFIX if pattern.route.startswith(p)), None)
            if prefix is None:
                raise KeyError(f"{pattern.name}: no object for pk under {pattern.route}")
            out[param] = PK_BY_PREFIX[prefix]
        elif param in ID_PARAMS:
            out[param] = ID_PARAMS[param]
        else:
            raise KeyError(f"{pattern.name}: unknown parameter {param}")
    return out


def variants_of(pattern: Pattern) -> list[str]:
    """own, then every variant some parameter of the pattern has; other_school if it names any object."""
    found = getters(pattern)
    if not found:
        return ["own"]
    extra = [v for v in ("other_class", "other_child") if any(v in g for g in found.values())]
    return ["own", *extra, "other_school"]


def kwargs_for(pattern: Pattern, variant: str, own: SchoolObjects, foreign: SchoolObjects) -> dict[str, object]:
    kwargs: dict[str, object] = {p: CONSTANTS[p] for p in pattern.params if p in CONSTANTS}
    for param, by_variant in getters(pattern).items():
        if variant == "other_school":
            kwargs[param] = by_variant["own"](foreign)
        else:
            kwargs[param] = by_variant.get(variant, by_variant["own"])(own)
    return kwargs


def allowed(entry: Entry, variant: str, *, has_objects: bool) -> frozenset[str]:
    """Actors expected to be let in on a variant of the pattern's objects. The foreign administrator is
    let into pages without objects where the administrator is (they show the foreign school's own data)."""
    if variant in entry.variants:
        return entry.variants[variant]
    own = entry.actors
    if variant == "own":
        return own | {"foreign_admin"} if "admin" in own and not has_objects else own
    if variant == "other_school":
        return frozenset()
    if variant == "other_class":
        swapped = {"other_teacher"} if "teacher" in own else set()
        return (own & MGMT) | swapped
    return own - FAMILY  # other_child


def _group(groups: tuple[frozenset[str] | str, ...]) -> frozenset[str]:
    actors: set[str] = set()
    for g in groups:
        actors |= {g} if isinstance(g, str) else g
    return frozenset(actors)


def G(*groups: frozenset[str] | str, **variants: frozenset[str]) -> Entry:
    """A page or endpoint that answers GET, opened by the groups given."""
    return Entry(get=_group(groups), variants=variants)


def P(*groups: frozenset[str] | str, method: str = "post", data: Data = None, json: bool = False) -> Entry:
    """A write-only endpoint, used by the groups given (everyone else is refused)."""
    return Entry(post=_group(groups), method=method, data=data, json=json)


PUBLIC = Entry(public=True)
NOBODY: frozenset[str] = frozenset()
JOURNAL_READERS = MGMT | {"teacher", "class_teacher"}  # of 5А's math journal
LESSON_READERS = JOURNAL_READERS | FAMILY  # a lesson of 5А, its homework files
# A value the cell does not hold: the same value again is a no-op that readers of the lesson get as a read.
CELL = {"text": "3"}
PERIOD_MARK = {"value": "5", "kind": "period"}


def closure(o: SchoolObjects) -> dict[str, object]:
    return {"period": o.period.pk}


MATRIX: dict[str, Entry] = {
    # --- sign-in, own account -------------------------------------------------------------------------------
    "home": G(SIGNED_IN),
    "healthz": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "password_change": G(SIGNED_IN),
    "two_factor_verify": G(SIGNED_IN),
    "two_factor_setup": G(SIGNED_IN),
    "two_factor_reset": G(ADMIN),
    "sessions": G(SIGNED_IN),
    "session_end": P(ADMIN),  # the session in the world is the administrator's own
    "session_end_all": PUBLIC,  # ends the caller's own sessions only
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "oidc_not_found": PUBLIC,
    "oidc_start": PUBLIC,
    "oidc_callback": PUBLIC,
    "link_code_issue": G(ADMIN, "class_teacher"),
    # --- people -------------------------------------------------------------------------------------------
    "people:list": G(READERS),
    "people:create": G(ADMIN),
    "people:detail": G(READERS),
    "people:edit": G(ADMIN),
    "people:active": P(ADMIN),
    "people:roles": P(ADMIN),
    "people:guardians": P(ADMIN),
    "people:guardian_remove": P(ADMIN),
    "people:classes": P(ADMIN),
    "people:password": P(ADMIN, data={"confirm": "1"}),
    "people:credential_classes": G(ADMIN, "class_teacher"),
    "people:class_credentials": G(ADMIN, "class_teacher"),
    # --- school structure -----------------------------------------------------------------------------------
    "schools:calendar": G(MGMT),
    "schools:year_create": P(STRUCTURE),
    "schools:year_update": P(STRUCTURE),
    "schools:scheme_create": P(STRUCTURE),
    "schools:scheme_update": P(STRUCTURE),
    "schools:scheme_delete": P(STRUCTURE),
    "schools:holiday_create": P(STRUCTURE),
    "schools:holiday_update": P(STRUCTURE),
    "schools:holiday_delete": P(STRUCTURE),
    "schools:settings": G(MGMT),
    "schools:class_list": G(MGMT),
    "schools:class_create": P(STRUCTURE),
    "schools:class_detail": G(MGMT),
    "schools:class_enrol": P(STRUCTURE),
    "schools:class_new_student": P(STRUCTURE),
    "schools:class_transfer": P(STRUCTURE),
    "schools:class_withdraw": P(STRUCTURE),
    "schools:class_teachers": P(STRUCTURE),
    "schools:subgroup_create": P(STRUCTURE),
    "schools:subgroup_members": P(STRUCTURE),
    # --- curriculum and timetable ---------------------------------------------------------------------------
    "curriculum:subjects": G(MGMT),
    "curriculum:subject_create": P(STRUCTURE),
    "curriculum:subject_update": P(STRUCTURE),
    "curriculum:subject_delete": P(STRUCTURE),
    "curriculum:curriculum_save": P(STRUCTURE),
    "curriculum:assignments": G(MGMT),
    "curriculum:assignment_create": P(STRUCTURE),
    "curriculum:assignment_end": P(STRUCTURE),
    "curriculum:timetable": G(MGMT),
    "curriculum:timetable_cell": P(STRUCTURE),
    "curriculum:bells": P(STRUCTURE),
    "curriculum:generate": P(STRUCTURE),
    "curriculum:teacher_week": G(STAFF),
    "curriculum:changes": G(MGMT),
    "curriculum:extra_lesson": P(STRUCTURE),
    "curriculum:lesson_change": G(MGMT),
    "curriculum:plans": G(STAFF),
    "curriculum:plan_template": G(STAFF),
    "curriculum:plan_detail": G(MGMT, "teacher"),
    "curriculum:plan_export": G(MGMT, "teacher"),
    # --- journal ---------------------------------------------------------------------------------------------
    # The list of journals one may open: empty for students and parents (they have the diary), not a 404.
    "journal:index": G(SIGNED_IN),
    "journal:closures": G(STRUCTURE),
    "journal:grid": G(JOURNAL_READERS),
    "journal:summary": G(JOURNAL_READERS),
    "journal:grid_as_of": G(JOURNAL_READERS),
    "journal:sheet_as_of": G(MGMT, "class_teacher"),
    "journal:class_overview": G(MGMT, "class_teacher"),
    "journal:class_overview_xlsx": G(MGMT, "class_teacher"),
    # The administrator corrects (with a reason), the class teacher explains absences.
    "journal:cell": P(ADMIN, "teacher", "class_teacher", data=CELL, json=True),
    "journal:cell_history": G(JOURNAL_READERS),
    "journal:lesson": G(JOURNAL_READERS),
    "journal:attachments": P(ADMIN, "teacher"),
    "journal:attachment": G(LESSON_READERS),
    "journal:attachment_delete": P(ADMIN, "teacher"),
    "journal:period_mark": P(ADMIN, "teacher", data=PERIOD_MARK, json=True),
    "journal:period_mark_history": G(JOURNAL_READERS),
    # --- diary ------------------------------------------------------------------------------------------------
    "diary:week": G(FAMILY),
    "diary:student_week": G(FAMILY),
    "diary:marks": G(FAMILY),
    "diary:student_marks": G(FAMILY),
    "diary:homework": G(FAMILY),
    "diary:student_homework": G(FAMILY),
    "diary:student_homework_item": G(FAMILY),
    "diary:results": G(FAMILY),
    "diary:student_results": G(FAMILY),
    "diary:sw": PUBLIC,
    "diary:manifest": PUBLIC,
    # --- informing --------------------------------------------------------------------------------------------
    "notifications:inbox": G(SIGNED_IN),
    "notifications:preferences": G(SIGNED_IN),
    "notifications:undelivered": G(READERS),
    "notifications:retry": P(READERS),
    "notifications:service_worker": PUBLIC,
    "notifications:telegram_webhook": PUBLIC,  # a wrong secret in the path is a 404 to everyone
    # --- reports -----------------------------------------------------------------------------------------------
    "reports:index": G(STAFF),
    "reports:school": G(MGMT),
    "reports:teacher": G(STAFF),
    "reports:classes": G(MGMT, "class_teacher"),
    "reports:class": G(MGMT, "class_teacher"),
    "reports:journal": G(JOURNAL_READERS),
    "reports:student": G(MGMT, "class_teacher"),
    "reports:region": G(NOBODY),  # people of the municipality only; none of the actors is one
    "reports:archive": G(MGMT),
    # --- printing (the class book) ----------------------------------------------------------------------------
    "printing:book": G(MGMT, "class_teacher"),
    "printing:stored": G(MGMT),
    "printing:make": P(MGMT),
    "printing:journal": G(JOURNAL_READERS),
    "reports:archive_file": G(MGMT),
    "reports:attendance": G(STAFF),
    "reports:journal_keeping": G(STAFF),
    "reports:program_execution": G(STAFF),
    # --- hours given (issue 17): management reads every teacher, a teacher their own; confirms only themselves
    "hours:index": G(STAFF),
    "hours:teacher": G(MGMT, "teacher"),
    "hours:confirm": P("teacher"),
    # --- imports, security log --------------------------------------------------------------------------------
    "interop:list": G(ADMIN),
    "interop:upload": P(ADMIN),
    "interop:detail": G(ADMIN),
    "interop:commit": P(ADMIN),
    "interop:discard": P(ADMIN),
    "interop:template": G(ADMIN),
    # --- backups and the period archive (issue 15) ----------------------------------------------------------------
    "archive:backups": G(READERS),
    "archive:order_backup": P(ADMIN),
    "archive:copy_out": P(READERS),
    "archive:log_pdf": G(READERS),
    "archive:act_pdf": G(READERS),
    "archive:periods": G(MGMT),
    "archive:order_archive": P("director"),
    "archive:download": G("director"),
    "archive:undertaking_pdf": G("director"),
    "retention:register": G(READERS),
    "retention:delete": P(ADMIN),
    # --- consultations, FAQ, training sessions (issue 18): a request is its author's and the administrator's
    "support:tickets": G(SCHOOL),
    "support:ask": G(SCHOOL),
    "support:ticket": G(ADMIN, "parent"),
    "support:ticket_file": G(ADMIN, "parent"),
    "support:reply": P(ADMIN, "parent"),
    "support:close": P(ADMIN, "parent"),
    "support:take": P(ADMIN),
    "support:escalate": P(ADMIN),
    "support:regional": P(ADMIN),
    "support:publish": P(ADMIN),
    "support:faq": G(SCHOOL),
    "support:trainings": G(SCHOOL),
    "support:training": G(ADMIN),
    "support:signup": P(SCHOOL),
    "support:cancel": P(SCHOOL),
    "support:attendance": P(ADMIN),
    "status:page": G(READERS),
    # --- help (issue 18): every signed-in person; documents outside one's audience are a 404 (help/tests)
    "help:index": G(SIGNED_IN),
    "help:topic": G(SIGNED_IN),
    "help:doc": G(SIGNED_IN),
    "audit:security_log": G(READERS),
    "audit:usage": G(MGMT),
    # --- API ---------------------------------------------------------------------------------------------------
    "api-schema": PUBLIC,  # the OpenAPI description: no data of any school
    "api-years": G(MGMT),
    "api-year": G(MGMT),
    "api-year-holidays": G(MGMT),
    "api-school-settings": G(MGMT),
    "api-classes": G(MGMT),
    "api-class": G(MGMT),
    "api-class-enrolments": G(MGMT),
    "api-enrolment-transfer": P(ADMIN),
    "api-subgroups": G(MGMT),
    "api-subjects": G(SIGNED_IN),  # lists scoped to the caller's school and role
    "api-curriculum-hours": G(MGMT),
    "api-assignments": G(SIGNED_IN),
    "api-assignment": G(JOURNAL_READERS),
    "api-assignment-end": P(STRUCTURE),
    "api-planned-topics": G(MGMT, "teacher"),
    "api-bells": G(SIGNED_IN),
    "api-timetable-slots": G(SIGNED_IN),
    "api-timetable-slot": G(JOURNAL_READERS),
    "api-timetable-generate": P(STRUCTURE),
    "api-lessons": G(SIGNED_IN),
    "api-lesson": G(LESSON_READERS),
    "api-lesson-replace": P(STRUCTURE),
    "api-lesson-cancel": P(STRUCTURE),
    "api-lesson-restore": P(STRUCTURE),
    "api-lesson-move": P(STRUCTURE),
    "api-extra-lessons": P(STRUCTURE),
    "api-journals": G(SIGNED_IN),
    "api-journal-grid": G(JOURNAL_READERS),
    "api-journal-as-of": G(JOURNAL_READERS),
    "api-journal-sheet-as-of": G(MGMT, "class_teacher"),
    "api-help": G(SIGNED_IN),
    "api-retention": G(READERS),
    "api-retention-delete": P(ADMIN, json=True),
    "api-support-tickets": G(SCHOOL),
    "api-support-ticket": G(ADMIN, "parent"),
    "api-support-ticket-reply": P(ADMIN, "parent", json=True),
    "api-support-ticket-close": P(ADMIN, "parent", json=True),
    "api-support-ticket-take": P(ADMIN, json=True),
    "api-support-ticket-escalate": P(ADMIN, json=True),
    "api-support-ticket-regional": P(ADMIN, json=True),
    "api-support-ticket-publish": P(ADMIN, json=True),
    "api-support-faq": G(SCHOOL),
    "api-support-trainings": G(SCHOOL),
    "api-support-training-signup": P(SCHOOL, json=True),
    "api-support-training-attendance": G(ADMIN),
    "api-status": G(READERS),
    "api-journal-lesson": G(JOURNAL_READERS),
    "api-journal-cell": P(ADMIN, "teacher", "class_teacher", method="put", data=CELL, json=True),
    "api-journal-cell-history": G(JOURNAL_READERS),
    "api-journal-period-mark": P(ADMIN, "teacher", method="put", data=PERIOD_MARK, json=True),
    "api-journal-period-mark-history": G(JOURNAL_READERS),
    "api-journal-closures": P(STRUCTURE, data=closure, json=True),
    "api-journal-reopen": P(STRUCTURE, data=closure, json=True),
    "api-journal-class-overview": G(MGMT, "class_teacher"),
    "api-journal-attachments": G(LESSON_READERS),
    "api-journal-attachment": P(ADMIN, "teacher", method="delete"),
    "api-diary-students": G(SIGNED_IN),
    "api-diary-week": G(FAMILY),
    "api-diary-marks": G(FAMILY),
    "api-diary-homework": G(FAMILY),
    "api-diary-homework-item": G(FAMILY),
    "api-diary-results": G(FAMILY),
    "api-people": G(READERS),
    "api-person": G(READERS),
    "api-person-deactivate": P(ADMIN),
    "api-person-activate": P(ADMIN),
    "api-person-roles": P(ADMIN),
    "api-person-role": P(ADMIN, method="delete"),
    "api-person-password": P(ADMIN, json=True),
    "api-class-credentials": G(ADMIN, "class_teacher"),
    "api-audit-events": G(READERS),
    "api-audit-usage": G(MGMT),
    "api-report-attendance": G(STAFF),
    "api-report-journal-keeping": G(STAFF),
    "api-report-program-execution": G(STAFF),
    "api-hours": G(STAFF),
    "api-hours-teacher": G(MGMT, "teacher"),
    "api-hours-confirmations": G(STAFF),
    "api-reports-school": G(MGMT),
    "api-reports-teacher": G(STAFF),
    "api-reports-class": G(MGMT, "class_teacher"),
    "api-reports-journal": G(JOURNAL_READERS),
    "api-reports-student": G(MGMT, "class_teacher"),
    "api-reports-region": G(NOBODY),
    "api-reports-archive": G(MGMT),
    "api-notifications-inbox": G(SIGNED_IN),
    "api-notifications-read": P(SIGNED_IN),
    "api-notifications-preferences": G(SIGNED_IN),
    "api-notifications-push": P(SIGNED_IN),
    "api-notifications-telegram-code": P(SIGNED_IN),
    "api-notifications-undelivered": G(READERS),
    "api-notifications-retry": P(READERS),
    "api-imports": G(ADMIN),
    "api-import": G(ADMIN),
    "api-import-commit": P(ADMIN),
    "api-import-discard": P(ADMIN),
    "api-backups": G(READERS),
    "api-backup-copy-outs": P(READERS, data={}, json=True),
    "api-backup-act": G(READERS),
    "api-backup-log-pdf": G(READERS),
    "api-period-archives": G(MGMT),
    "api-period-archive-order": P("director", data={}, json=True),
    "api-period-archive-file": G("director"),
    "api-period-archive-undertaking": G("director"),
    "api-printing-book": G(MGMT, "class_teacher"),
    "api-printing-journal": G(JOURNAL_READERS),
    "api-printing-stored": G(MGMT),
    "api-printing-jobs": G(MGMT),
}


# --- issue 13: who gives whom a one-time password or a Госуслуги link code ---------------------------------
# Target (by their roles, world.credential_targets) -> the actors who may issue theirs. A class teacher: only
# people who are nothing but a student or a parent of their class; the administrator: anyone of the school
# but themselves. Checked by access.people.may_issue_credentials, the link-code page (GET: 200 or 404) and,
# for the people on 5А's list, the class page and the API (POST: issued or 404).
CREDENTIAL_TARGETS: dict[str, frozenset[str]] = {
    "student": ADMIN | {"class_teacher"},
    "parent_only": ADMIN | {"class_teacher"},
    "parent_teacher": ADMIN,
    "parent_director": ADMIN,
    "teacher": ADMIN,
    "deputy": ADMIN,
    "director": ADMIN,
    "admin": frozenset(),  # the administrator themselves: their own password is changed on the password page
    "other_admin": ADMIN,
    "other_school": frozenset({"foreign_admin"}),  # their own school's administrator, nobody of school A
}
ON_CLASS_LIST = ("student", "parent_only", "parent_teacher", "parent_director")  # on 5А's credentials page

# /admin/ (left out of the URL walk): no actor of a school, whatever their roles; only an operator (no school).
DJANGO_ADMIN: frozenset[str] = frozenset()
