"""A year's КТП for a subject and grade, and the homework a teacher writes after a lesson.

A section of the programme takes several lessons: first the new material, then practice, one lesson in
the middle with a work for everyone (самостоятельная, лабораторная…) and, for long sections, a closing
контрольная, диктант or сочинение. The kind of that work decides the marks the lesson gets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .topics import sections


@dataclass(frozen=True)
class PlanLine:
    title: str
    work: str | None = None  # mark kind code every present student gets in this lesson
    marks_each: int = 1  # a dictation or an essay gets two marks: «5/4»


@dataclass(frozen=True)
class _Style:
    practice: tuple[str, ...]
    middle: tuple[str, str] | None  # (suffix, work) of the mid-section lesson
    closing: tuple[tuple[str, str], ...]  # (title pattern, work), alternating over sections
    final: tuple[str, str] | None  # the year's last lesson


_STYLES: dict[str, _Style] = {
    "russian": _Style(
        ("Упражнения", "Закрепление", "Работа с текстом", "Развитие речи", "Практикум", "Работа над ошибками"),
        ("Проверочная работа", "independent"),
        (("Контрольный диктант по теме «{}»", "dictation"), ("Контрольная работа по теме «{}»", "test")),
        ("Итоговая контрольная работа", "test"),
    ),
    "literature": _Style(
        ("Анализ произведения", "Образы героев", "Художественные особенности", "Развитие речи"),
        ("Чтение наизусть", "recitation"),
        (("Сочинение по теме «{}»", "essay"), ("Тест по разделу «{}»", "quiz")),
        ("Итоговый тест", "quiz"),
    ),
    "reading": _Style(
        ("Выразительное чтение", "Работа с текстом", "Обобщение"),
        ("Чтение наизусть", "recitation"),
        (("Проверочная работа по разделу «{}»", "quiz"),),
        None,
    ),
    "english": _Style(
        ("Лексика", "Грамматика", "Чтение", "Аудирование", "Устная речь", "Письмо"),
        ("Словарный диктант", "quiz"),
        (("Контрольная работа по разделу «{}»", "test"),),
        ("Итоговая контрольная работа", "test"),
    ),
    "math": _Style(
        (
            "Решение задач",
            "Закрепление",
            "Решение текстовых задач",
            "Практикум",
            "Решение задач повышенной сложности",
            "Обобщение и систематизация",
        ),
        ("Самостоятельная работа", "independent"),
        (("Контрольная работа по теме «{}»", "test"),),
        ("Итоговая контрольная работа", "test"),
    ),
    "informatics": _Style(
        ("Изучение нового материала", "Решение задач", "Обобщение"),
        ("Практическая работа на компьютере", "practical"),
        (("Контрольная работа по теме «{}»", "test"),),
        None,
    ),
    "lab_science": _Style(
        ("Изучение нового материала", "Решение задач", "Обобщение"),
        ("Лабораторная работа", "lab"),
        (("Контрольная работа по теме «{}»", "test"),),
        ("Итоговая контрольная работа", "test"),
    ),
    "science": _Style(
        ("Изучение нового материала", "Практикум", "Обобщение"),
        ("Лабораторная работа", "lab"),
        (("Обобщение по теме «{}». Тест", "quiz"),),
        None,
    ),
    "geography": _Style(
        ("Изучение нового материала", "Работа с картой", "Обобщение"),
        ("Практическая работа", "practical"),
        (("Обобщение по теме «{}». Тест", "quiz"),),
        None,
    ),
    "humanities": _Style(
        ("Работа с источниками", "Семинар", "Обобщение"),
        None,
        (("Обобщение по теме «{}». Тест", "quiz"),),
        None,
    ),
    "arts": _Style(("Практическая работа", "Творческая работа"), None, (("Творческий проект «{}»", "project"),), None),
    "pe": _Style(
        ("Техника выполнения", "Учебная игра", "Развитие физических качеств"),
        None,
        (("Сдача контрольных нормативов", "practical"),),
        None,
    ),
}

_DOUBLE_MARKS = frozenset({"dictation", "essay", "exposition"})
_MIN_CLOSING = 5  # a section shorter than this ends without a контрольная
_MIN_MIDDLE = 4


def _line(title: str, work: str | None, grade: int) -> PlanLine:
    if grade == 1 or work is None:  # безотметочное обучение: grade 1 writes no graded works
        return PlanLine(title)
    return PlanLine(title, work, 2 if work in _DOUBLE_MARKS else 1)


def plan_lines(subject_key: str, category: str, grade: int, count: int) -> list[PlanLine]:
    """Exactly `count` lines (one per lesson of the year) for the subject in a grade."""
    if count <= 0:
        return []
    titles = sections(subject_key, grade)
    if not titles:
        return [PlanLine(f"Тема {n}") for n in range(1, count + 1)]
    style = _STYLES[category]
    final = style.final if (style.final and count >= 30) else None
    body = count - (2 if final else 0)
    lines: list[PlanLine] = []
    if body < len(titles):
        lines.extend(PlanLine(t) for t in titles[:body])
    else:
        base, extra = divmod(body, len(titles))
        for index, title in enumerate(titles):
            length = base + (index < extra)
            lines.extend(_section(title, length, style, index, grade))
    if final:
        lines.append(PlanLine("Повторение и обобщение изученного за год"))
        lines.append(_line(final[0], final[1], grade))
    return lines


def _section(title: str, length: int, style: _Style, index: int, grade: int) -> list[PlanLine]:
    out = [PlanLine(title)]
    closing = style.closing[index % len(style.closing)] if length >= _MIN_CLOSING else None
    middle_at = length // 2 if (style.middle and length >= _MIN_MIDDLE) else -1
    practice_end = length - (1 if closing else 0)
    for position in range(1, practice_end):
        if position == middle_at and style.middle:
            out.append(_line(f"{title}. {style.middle[0]}", style.middle[1], grade))
        else:
            suffix = style.practice[(position - 1) % len(style.practice)]
            out.append(PlanLine(f"{title}. {suffix}"))
    if closing:
        out.append(_line(closing[0].format(title), closing[1], grade))
    return out


# --- homework ---------------------------------------------------------------------------------------

# Share of lessons after which the teacher sets homework, by category.
HOMEWORK_SHARE = {
    "russian": 0.92,
    "literature": 0.85,
    "reading": 0.85,
    "english": 0.9,
    "math": 0.93,
    "informatics": 0.55,
    "lab_science": 0.85,
    "science": 0.8,
    "geography": 0.8,
    "humanities": 0.8,
    "arts": 0.2,
    "pe": 0.04,
}

_TEXTS = {
    "russian": ("Упр. {u}", "§ {p}, упр. {u}", "Выучить правило (§ {p}), упр. {u}", "Упр. {u}, {u2}"),
    "russian_primary": ("Упр. {u}", "С. {page}, упр. {u}", "Рабочая тетрадь: с. {wb}, упр. {u}"),
    "literature": (
        "Прочитать с. {page}–{page2}",
        "Ответить на вопросы на с. {page}",
        "Подготовить пересказ (с. {page}–{page2})",
        "Письменно ответить на вопрос {q} на с. {page}",
        "Выучить наизусть отрывок (с. {page})",
    ),
    "reading": (
        "Читать с. {page}–{page2}, выразительное чтение",
        "С. {page}, ответить на вопросы",
        "Выучить стихотворение на с. {page}",
        "Пересказ текста на с. {page}–{page2}",
    ),
    "english": (
        "Student's Book: с. {page}, упр. {u}",
        "Workbook: с. {wb}, упр. {u}, {u2}",
        "Выучить слова (с. {page})",
        "Student's Book: с. {page}, упр. {u} (письменно)",
    ),
    "math": ("№ {e}, {e2}, {e3}", "П. {p}, № {e}–{e4}", "Повторить п. {p}; № {e}, {e2}", "№ {e} (а, б), {e2}"),
    "math_primary": ("С. {page}, № {u}, {u2}", "С. {page}, задача {u}", "Рабочая тетрадь: с. {wb}"),
    "informatics": ("§ {p}, вопросы {q}–{q2}", "§ {p}, задание {u} на компьютере", "§ {p}, рабочая тетрадь № {u}"),
    "lab_science": ("§ {p}, упр. {u} (1–3)", "§ {p}, вопросы {q}–{q2}", "§ {p}, задачи {u}, {u2}"),
    "science": ("§ {p}, вопросы {q}–{q2}", "§ {p}, заполнить таблицу", "§ {p}, вопросы на с. {page}"),
    "science_primary": ("С. {page}–{page2}, ответить на вопросы", "Рабочая тетрадь: с. {wb}"),
    "geography": ("§ {p}, вопросы {q}–{q2}", "§ {p}, работа с контурной картой", "§ {p}, заполнить таблицу"),
    "humanities": ("§ {p}, вопросы {q}–{q2}", "§ {p}, составить конспект", "§ {p}, работа с документом на с. {page}"),
    "arts": ("Принести альбом и краски", "Закончить рисунок", "Подготовить материалы для практической работы"),
    "music": ("Выучить слова песни", "Послушать произведение, записать впечатления"),
    "tech": ("Принести материалы для практической работы", "Закончить изделие"),
    "pe": ("Комплекс утренней зарядки", "Прыжки со скакалкой: 3 подхода по 50 раз"),
}


def homework_text(subject_key: str, category: str, grade: int, position: int, rng: random.Random) -> str:
    """The text for the lesson at `position` (0-based) of the КТП: paragraphs and exercises move on."""
    key = category
    if grade <= 4 and category in ("russian", "math", "science"):
        key = f"{category}_primary"
    elif subject_key in ("music", "tech"):
        key = subject_key
    template = rng.choice(_TEXTS[key])
    p = 1 + position // 3
    u = 3 + position * 4 + rng.randint(0, 3)
    e = 5 + position * 9 + rng.randint(0, 6)
    page = 4 + position * 2 + rng.randint(0, 1)
    q = rng.randint(1, 4)
    return template.format(
        p=p,
        u=u,
        u2=u + rng.randint(1, 3),
        e=e,
        e2=e + 2,
        e3=e + 5,
        e4=e + 4,
        page=page,
        page2=page + rng.randint(2, 6),
        wb=2 + position,
        q=q,
        q2=q + rng.randint(1, 3),
    )
