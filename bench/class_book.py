"""Benchmark of the class book (issue 16): a class of 30 with 15 subjects, one quarter, read and typeset as the
«Печать журнала» page does in the request, against the issue's budget of 10 s (and ≤ 14 queries).

The class: the demo generator's 5А (its curriculum), filled to the end of the 1st quarter; subjects the demo's
grade 5 lacks are added with lessons, marks and topics of their own, so the book has 15 subjects. One class's
book stays in the request (reading takes about 0.15 s, typesetting 0.5–2 s as busy as the machine is); a whole
grade band is the worker's job (printing.stored.request_books), with progress on the «Книги журнала» page.

    .venv/bin/python -m bench.class_book
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models are imported once Django is set up
    from bench.harness import Figure

TODAY = dt.date(2026, 11, 5)  # after the 1st quarter
SUBJECTS = 15
STUDENTS = 30
BOOK_BUDGET_MS = 10_000.0
# The book's rows in 11 queries whatever the number of subjects, and the signed-in user with their roles.
BOOK_BUDGET_QUERIES = 14


def run() -> list[Figure]:
    from bench.harness import measure
    from ejournal.accounts.models import User
    from ejournal.curriculum.models import Lesson, Subject
    from ejournal.demo.generator import generate
    from ejournal.journal.models import Mark
    from ejournal.printing.books import render
    from ejournal.printing.selectors import build_book, read_book
    from ejournal.schools.models import ClassGroup, Period

    result = generate(1, grades=[5], classes_per_parallel=1, students_per_class=STUDENTS, today=TODAY)
    school = result.school
    group = ClassGroup.objects.get(school=school, grade=5, letter="А")
    period = Period.objects.get(school=school, scheme__grade_from__lte=5, scheme__grade_to__gte=5, number=1)
    lessons = Lesson.objects.filter(class_group=group, date__range=(period.start, period.end))
    have = lessons.values("subject_id").distinct().count()
    # Subjects the demo's grade 5 lacks: copies of its lessons under new subjects (the page reads lessons and
    # marks whatever their curriculum, so copies cost what real lessons cost).
    template = list(lessons.filter(subject_id=lessons.values("subject_id")[:1]).order_by("date", "number"))
    template_marks = list(Mark.objects.filter(lesson__in=template))
    for n in range(max(0, SUBJECTS - have)):
        subject = Subject.objects.create(school=school, name=f"Предмет для книги {n + 1}")
        assignment = copy.copy(template[0].assignment)
        assignment.pk, assignment.subject = None, subject
        assignment.save()
        copies = {}
        for original in template:
            lesson = copy.copy(original)
            lesson.pk = None
            lesson.subject, lesson.assignment = subject, assignment
            lesson.topic = f"{lesson.topic} ({subject.name})"
            lesson.save()
            copies[original.pk] = lesson.pk
        marks = []
        for mark in template_marks:
            mark = copy.copy(mark)
            mark.pk, mark.lesson_id = None, copies[mark.lesson_id]
            marks.append(mark)
        Mark.objects.bulk_create(marks)
    subjects = lessons.values("subject_id").distinct().count()
    print(f"class 5А: {STUDENTS} students, {subjects} subjects, {lessons.count()} lessons in the quarter")
    director_id = result.users["director"].pk

    def book() -> bytes:
        director = User.objects.select_related("school").get(pk=director_id)
        return render(build_book(read_book(user=director, class_group=group, period=period)))

    started, cpu = time.perf_counter(), time.process_time()
    book()
    # Wall time on a shared machine includes waiting for a core; CPU time is what the book itself costs.
    print(f"one book: {time.perf_counter() - started:.2f} s, CPU time {time.process_time() - cpu:.2f} s")
    return [
        measure(
            f"class book, {subjects} subjects × quarter",
            book,
            budget_ms=BOOK_BUDGET_MS,
            budget_queries=BOOK_BUDGET_QUERIES,
            repeat=3,
            warmup=1,
        )
    ]


def main() -> int:
    from bench.databases import django_database

    with django_database():
        figures = run()
        for figure in figures:
            print(figure.line())
        return 0 if all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
