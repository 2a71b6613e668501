"""Subjects of a Russian school and their weekly hours per parallel (a five-day week, after ФООП 2023).

`family` says who teaches a subject: a primary-school teacher teaches almost everything in their own class;
from grade 5 on, subject teachers teach a family of related subjects (Russian and literature; the
mathematics of a class). `split_from` is the grade from which the class is split into two subgroups.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PRIMARY = "primary"


@dataclass(frozen=True)
class SubjectSpec:
    key: str
    name: str
    short_name: str
    family: str
    category: str  # what lessons look like: which works, which homework
    split_from: int | None = None  # subgroups from this grade on


SUBJECTS: tuple[SubjectSpec, ...] = (
    SubjectSpec("rus", "Русский язык", "Рус. яз.", "russian", "russian"),
    SubjectSpec("read", "Литературное чтение", "Лит. чт.", PRIMARY, "reading"),
    SubjectSpec("lit", "Литература", "Лит.", "russian", "literature"),
    SubjectSpec("eng", "Иностранный язык (английский)", "Англ. яз.", "english", "english", split_from=2),
    SubjectSpec("math", "Математика", "Мат.", "math", "math"),
    SubjectSpec("alg", "Алгебра", "Алг.", "math", "math"),
    SubjectSpec("alg_an", "Алгебра и начала математического анализа", "Алг. и НМА", "math", "math"),
    SubjectSpec("geom", "Геометрия", "Геом.", "math", "math"),
    SubjectSpec("prob", "Вероятность и статистика", "Вер. и стат.", "math", "math"),
    SubjectSpec("inf", "Информатика", "Информ.", "physics", "informatics", split_from=7),
    SubjectSpec("world", "Окружающий мир", "Окр. мир", PRIMARY, "science"),
    SubjectSpec("hist", "История", "Ист.", "history", "humanities"),
    SubjectSpec("soc", "Обществознание", "Общ.", "history", "humanities"),
    SubjectSpec("orkse", "Основы религиозных культур и светской этики", "ОРКСЭ", PRIMARY, "humanities"),
    SubjectSpec("geo", "География", "Геогр.", "science", "geography"),
    SubjectSpec("bio", "Биология", "Биол.", "science", "science"),
    SubjectSpec("chem", "Химия", "Хим.", "science", "lab_science"),
    SubjectSpec("phys", "Физика", "Физ.", "physics", "lab_science"),
    SubjectSpec("music", "Музыка", "Муз.", "arts", "arts"),
    SubjectSpec("art", "Изобразительное искусство", "ИЗО", "arts", "arts"),
    SubjectSpec("tech", "Труд (технология)", "Труд", "technology", "arts"),
    SubjectSpec("pe", "Физическая культура", "Физ-ра", "pe", "pe"),
    SubjectSpec("obzr", "Основы безопасности и защиты Родины", "ОБЗР", "pe", "humanities"),
)
SUBJECT_BY_KEY = {s.key: s for s in SUBJECTS}

# Hours per week by parallel (Russian federal basic curriculum, five-day week).
_PRIMARY_2_3 = {"rus": 5, "read": 4, "eng": 2, "math": 4, "world": 2, "music": 1, "art": 1, "tech": 1, "pe": 2}
_SENIOR = {
    "rus": 2, "lit": 3, "eng": 3, "alg_an": 3, "geom": 2, "prob": 1, "inf": 1, "hist": 2, "soc": 2, "geo": 1,
    "bio": 1, "chem": 1, "phys": 2, "pe": 2, "obzr": 1,
}  # fmt: skip
HOURS: dict[int, dict[str, int]] = {
    1: {"rus": 5, "read": 4, "math": 4, "world": 2, "music": 1, "art": 1, "tech": 1, "pe": 2},
    2: _PRIMARY_2_3,
    3: _PRIMARY_2_3,
    4: {"rus": 5, "read": 3, "eng": 2, "math": 4, "world": 2, "orkse": 1, "music": 1, "art": 1, "tech": 1, "pe": 2},
    5: {
        "rus": 5, "lit": 3, "eng": 3, "math": 5, "hist": 2, "geo": 1, "bio": 1, "music": 1, "art": 1, "tech": 2,
        "pe": 2,
    },
    6: {
        "rus": 6, "lit": 3, "eng": 3, "math": 5, "hist": 2, "soc": 1, "geo": 1, "bio": 1, "music": 1, "art": 1,
        "tech": 2, "pe": 2,
    },
    7: {
        "rus": 4, "lit": 2, "eng": 3, "alg": 3, "geom": 2, "prob": 1, "inf": 1, "hist": 2, "soc": 1, "geo": 2,
        "bio": 1, "phys": 2, "music": 1, "art": 1, "tech": 2, "pe": 2,
    },
    8: {
        "rus": 3, "lit": 2, "eng": 3, "alg": 3, "geom": 2, "prob": 1, "inf": 1, "hist": 2, "soc": 1, "geo": 2,
        "bio": 2, "phys": 2, "chem": 2, "music": 1, "tech": 1, "pe": 2, "obzr": 1,
    },
    9: {
        "rus": 3, "lit": 3, "eng": 3, "alg": 3, "geom": 2, "prob": 1, "inf": 1, "hist": 2, "soc": 1, "geo": 2,
        "bio": 2, "phys": 3, "chem": 2, "tech": 1, "pe": 2, "obzr": 1,
    },
    10: _SENIOR,
    11: _SENIOR,
}  # fmt: skip

# SanPiN: grade 1 at most four lessons a day, the primary school five, grades 5–6 six, older seven.
MAX_LESSONS_PER_DAY = {1: 4, 2: 5, 3: 5, 4: 5, 5: 6, 6: 6, 7: 7, 8: 7, 9: 7, 10: 7, 11: 7}

# Weekly hours a subject teacher carries at most before the school hires another one (1.5 stavka).
TARGET_LOAD = 28

# Subjects the primary-school teacher leaves to specialists.
PRIMARY_SPECIALISTS = frozenset({"eng", "music", "pe"})


def family_of(subject: SubjectSpec, grade: int) -> str:
    """Who teaches the subject in this grade: the class's own teacher in grades 1–4, else the specialist."""
    if grade <= 4 and subject.key not in PRIMARY_SPECIALISTS:
        return PRIMARY
    return subject.family


def is_split(subject: SubjectSpec, grade: int) -> bool:
    return subject.split_from is not None and grade >= subject.split_from


def hours(grade: int, key: str) -> Decimal:
    return Decimal(HOURS[grade][key])


# The floor of a teacher's room by family: the primary school and ОБЗР downstairs, languages upstairs.
ROOM_FLOORS = {
    PRIMARY: 1,
    "pe": 1,
    "russian": 2,
    "math": 2,
    "history": 2,
    "arts": 2,
    "english": 3,
    "science": 3,
    "physics": 3,
}
