"""Who may make the period archive (архив периода).

DOMAIN (docs/domain.md, «Paper copies, backups and the archive»): the archive is protected by an access code
known only to the director. So only the director of the school sets the code and orders the archive; the
administrator, who runs the installation, does not (they would then know the code). Everyone else, and
every period of another school, is a 404. The operator's console (`ejournal archive`) has no signed-in user:
whoever holds the server's shell reads the database anyway, so the code is typed there by the director.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.accounts.models import Role, User
from ejournal.schools.models import Period, School

from .roles import in_school


def orders_period_archive(user: User) -> bool:
    return in_school(user) and user.has_role(Role.DIRECTOR)


def archivable_periods(user: User) -> QuerySet[Period]:
    """Periods of the director's own school, with their scheme and year (one query)."""
    if not orders_period_archive(user):
        return Period.objects.none()
    return Period.objects.filter(school_id=user.school_id).select_related("scheme__year")


def console_printer(school: School) -> User | None:
    """Whose view the console's archive prints the class books in: the school's director (the archive is theirs),
    None for a school without one (the archive then has no books and its README says why)."""
    return (
        User.objects.filter(school_id=school.pk, is_active=True, role_grants__role=Role.DIRECTOR).order_by("pk").first()
    )
