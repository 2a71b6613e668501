"""The list of journals a person may open, grouped as they think of them, with the periods of each."""

from __future__ import annotations

from dataclasses import dataclass, field

from ejournal.access import journal as access
from ejournal.access.roles import reads_whole_school
from ejournal.access.schools import led_classes
from ejournal.accounts.models import User
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools.models import Period


@dataclass(frozen=True)
class JournalLink:
    assignment_id: int
    class_name: str
    subgroup_name: str
    subject_name: str
    teacher_name: str
    periods: tuple[Period, ...]

    @property
    def title(self) -> str:
        group = f"{self.class_name} ({self.subgroup_name})" if self.subgroup_name else self.class_name
        return f"{group} · {self.subject_name}"


@dataclass
class JournalGroup:
    title: str
    hint: str
    journals: list[JournalLink] = field(default_factory=list)
    # The class whose overview («Сводка класса») the group links to, when the user may read it.
    class_id: int | None = None


@dataclass(frozen=True)
class ClassLink:
    class_id: int
    name: str


def overview_links(user: User) -> list[ClassLink]:
    """Classes of the latest school year whose overview the user may open: the ones they lead, or every
    class for management. One query."""
    classes = list(access.overview_classes(user).order_by("-year__start", "grade", "letter"))
    if not classes:
        return []
    latest = classes[0].year_id
    return [ClassLink(c.pk, c.name) for c in classes if c.year_id == latest]


def journal_index(user: User) -> list[JournalGroup]:
    """The teacher's own journals first; then the class they lead (read, explain absences); then, for
    management, every journal of the school by class. Four queries."""
    assignments = list(
        access.visible_journals(user)
        .select_related("class_group", "subgroup", "subject", "teacher")
        .order_by("class_group__grade", "class_group__letter", "subject__name", "subgroup__name", "start")
    )
    year_ids = {a.class_group.year_id for a in assignments}
    all_periods = list(
        Period.objects.filter(school_id=user.school_id, scheme__year_id__in=year_ids)
        .select_related("scheme")
        .order_by("start")
    )
    led = set(led_classes(user).values_list("pk", flat=True))

    def periods_of(a: TeachingAssignment) -> tuple[Period, ...]:
        group = a.class_group
        return tuple(p for p in all_periods if p.scheme.year_id == group.year_id and p.scheme.covers(group.grade))

    def link(a: TeachingAssignment) -> JournalLink:
        return JournalLink(
            assignment_id=a.pk,
            class_name=a.class_group.name,
            subgroup_name=a.subgroup.name if a.subgroup else "",
            subject_name=a.subject.name,
            teacher_name=a.teacher.short_name,
            periods=periods_of(a),
        )

    own = JournalGroup("Мои журналы", "Отметки, посещаемость, темы и задания ваших уроков.")
    substituted = JournalGroup("Замены", "Журналы, где вы вели уроки по замене: записи только в этих уроках.")
    classes: dict[int, JournalGroup] = {}
    school: dict[int, JournalGroup] = {}
    for a in assignments:
        if a.teacher_id == user.pk:
            own.journals.append(link(a))
        elif a.class_group_id in led:
            classes.setdefault(
                a.class_group_id,
                JournalGroup(
                    f"Мой класс {a.class_group.name}",
                    "Все предметы вашего класса: чтение; причины пропусков («н» → «б», «у», «п»).",
                    class_id=a.class_group_id,
                ),
            ).journals.append(link(a))
        elif reads_whole_school(user):
            school.setdefault(
                a.class_group_id, JournalGroup(f"{a.class_group.name}", "", class_id=a.class_group_id)
            ).journals.append(link(a))
        else:
            substituted.journals.append(link(a))
    groups = [g for g in (own, *classes.values(), substituted) if g.journals]
    if school:
        for g in school.values():
            g.title = f"Класс {g.title}"
        groups.extend(school.values())
    return groups
