"""Who asks questions, who answers them, who reads the FAQ and who goes to training sessions.

Anyone of a school asks and sees their own requests (a parent, a student, a teacher: only their own; someone
else's is a 404). The school's administrator sees every request of the school, answers, escalates to the
regional technical support, publishes the FAQ and the training sessions and records attendance. A session is
for its audience: teachers, class teachers (who lead a class) or parents.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ejournal.accounts.models import Role, User
from ejournal.support.models import Audience, FaqEntry, Ticket, Training

from .roles import in_school
from .schools import led_classes
from .tenancy import get_for


def asks(user: User) -> bool:
    return in_school(user)


def answers(user: User) -> bool:
    """The school's administrator answers, escalates, publishes the FAQ and the training sessions."""
    return in_school(user) and user.has_role(Role.ADMIN)


def tickets_for(user: User) -> QuerySet[Ticket]:
    if not in_school(user):
        return Ticket.objects.none()
    tickets = Ticket.objects.filter(school_id=user.school_id)
    return tickets if answers(user) else tickets.filter(author=user)


def ticket_for(user: User, pk: Any) -> Ticket:
    return get_for(user, tickets_for(user), pk)


def writes_ticket(user: User, ticket: Ticket) -> bool:
    """The author follows up and closes; the administrator answers and closes."""
    return ticket.author_id == user.pk or answers(user)


def faq_for(user: User) -> QuerySet[FaqEntry]:
    if not in_school(user):
        return FaqEntry.objects.none()
    return FaqEntry.objects.filter(school_id=user.school_id)


def trainings_for(user: User) -> QuerySet[Training]:
    if not in_school(user):
        return Training.objects.none()
    return Training.objects.filter(school_id=user.school_id)


def training_for(user: User, pk: Any) -> Training:
    return get_for(user, trainings_for(user), pk)


def audiences_of(user: User) -> set[str]:
    """The audiences a person belongs to."""
    if not in_school(user):
        return set()
    found = set()
    if user.has_role(Role.TEACHER):
        found.add(Audience.TEACHERS.value)
    if led_classes(user).exists():
        found.add(Audience.CLASS_TEACHERS.value)
    if user.has_role(Role.PARENT):
        found.add(Audience.PARENTS.value)
    return found
