"""Who may make the period archive (архив периода).

DOMAIN (docs/domain.md, «Paper copies, backups and the archive»): the archive is protected by an access code
known only to the director. So only the director of the school sets the code and orders the archive; the
administrator, who runs the installation, does not (they would then know the code). Everyone else, and
every period of another school, is a 404. The operator's console (`ejournal archive`) has no signed-in user:
whoever holds the server's shell reads the database anyway, so the code is typed there by the director.
"""

from __future__ import annotations

from ejournal.accounts.models import Role, User

from .roles import in_school


def orders_period_archive(user: User) -> bool:
    return in_school(user) and user.has_role(Role.DIRECTOR)
