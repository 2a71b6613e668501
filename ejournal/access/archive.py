"""Who may make the period archive (архив периода).

DOMAIN (docs/domain.md, «Paper copies, backups and the archive»): the archive is protected by an access code
known only to the director. So only the director of the school sets the code and orders the archive; the
administrator, who runs the installation, does not (they would then know the code). Everyone else, and
every period of another school, is a 404. The operator's console (`ejournal archive`) has no signed-in user:
whoever holds the server's shell reads the database anyway, so the code is typed there by the director.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ejournal.accounts.models import Role, User
from ejournal.archive.models import BackupLogEntry

from .roles import in_school, reads_whole_school


def orders_period_archive(user: User) -> bool:
    return in_school(user) and user.has_role(Role.DIRECTOR)


# --- the backups page and the period archive page (docs/domain.md, «Paper copies, backups and the archive») ---
#
# A full backup is of the WHOLE installation. The school's administrator orders one from the page only when the
# installation holds exactly one school (their disk would otherwise carry other schools' children); the director
# reads the page. Both see the log entries of their school and of the whole installation (school null: full
# backups, restores, drills), never another school's. The period archive's list is management's; creating and
# downloading the archive, and the non-disclosure undertaking, are the director's (the code is theirs).


def reads_backups(user: User) -> bool:
    return in_school(user) and user.has_role(Role.ADMIN, Role.DIRECTOR)


def administers_backups(user: User) -> bool:
    """The school's administrator: orders a backup where the installation allows it (orders_backup)."""
    return in_school(user) and user.has_role(Role.ADMIN)


def orders_backup(user: User, *, schools: int) -> bool:
    """`schools`: how many schools the installation holds (the caller counts them once)."""
    return administers_backups(user) and schools == 1


def records_copy_out(user: User) -> bool:
    """Who hands a disk over: the administrator (backups) and the director (archives)."""
    return reads_backups(user)


def reads_period_archives(user: User) -> bool:
    return reads_whole_school(user)


def downloads_period_archive(user: User) -> bool:
    return orders_period_archive(user)


def visible_log(user: User) -> QuerySet[BackupLogEntry]:
    """The backup log as this user may read it: their school's entries and the installation's."""
    if not in_school(user):
        return BackupLogEntry.objects.none()
    return BackupLogEntry.objects.filter(Q(school_id=user.school_id) | Q(school__isnull=True))


def backup_alert_recipients() -> QuerySet[User]:
    """Who is told that a restore drill failed: the active administrators of every active school (a full backup
    is of the whole installation, so every school's journal is in it)."""
    return (
        User.objects.filter(is_active=True, school__is_active=True, role_grants__role=Role.ADMIN)
        .distinct()
        .order_by("pk")
    )


def archive_reminder_recipients(school_id: int) -> QuerySet[User]:
    """Who is reminded that a period's archive is not made yet: the school's active directors (the code is theirs)."""
    return (
        User.objects.filter(school_id=school_id, is_active=True, role_grants__role=Role.DIRECTOR)
        .distinct()
        .order_by("pk")
    )
