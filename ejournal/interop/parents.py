"""Parents' rows: the parent (found or new), the parent role, contacts and the link to a child of the school.

A parent with several children comes in several rows; the rows name the same person when the name matches
and so does the birth date (if given), or else the phone or the e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

from ejournal.accounts import services as people
from ejournal.accounts.models import Guardianship, PersonChange, Role
from ejournal.core.time import ru_date

from . import cells
from .plans import Context, Reader, RowPlan, create_person, set_fields
from .snapshot import NameKey, Person, name_key
from .tables import Row


def _same_parent(
    person: Person, birth: dt.date | None, phone: str, email: str, child: Person, links: Container[object]
) -> bool:
    if birth is not None and person.birth_date is not None:
        return person.birth_date == birth
    return bool(
        (phone and phone == person.phone)
        or (email and email == person.email)
        or (person.pk is not None and (person.pk, child.pk) in links)
    )


def _find_parent(
    reader: Reader, plan: RowPlan, key: NameKey, birth: dt.date | None, phone: str, email: str, child: Person
) -> Person | None:
    links = reader.snapshot.links.keys()
    found = [p for p in reader.snapshot.by_name.get(key, []) if _same_parent(p, birth, phone, email, child, links)]
    if len(found) > 1:
        plan.error("ФИО", "в школе несколько людей с этими ФИО и теми же контактами: свяжите родителя вручную")
        return None
    return found[0] if found else None


def _child(reader: Reader, plan: RowPlan, row: Row) -> Person | None:
    names = plan.read("ФИО ребёнка", cells.full_name, reader.cell(row, "child"))
    birth = reader.birth(plan, row, "child_birth_date")
    if names is None or birth is None:
        return None
    found = [p for p in reader.snapshot.same_person(name_key(*names), birth) if p.pk and Role.STUDENT in p.roles]
    if len(found) != 1:
        full = " ".join(p for p in names if p)
        plan.error(
            "ФИО ребёнка",
            f"ученика «{full}», {ru_date(birth)} г. р., в школе нет: сначала импортируйте учеников"
            if not found
            else f"в школе несколько учеников «{full}», {ru_date(birth)} г. р.",
        )
        return None
    return found[0]


def plan_parents(reader: Reader, rows: list[Row]) -> list[RowPlan]:
    plans: list[RowPlan] = []
    pairs: dict[tuple[int, int], int] = {}  # (id(parent), child) → row
    for row in rows:
        plan = RowPlan(row.number)
        plans.append(plan)
        names = reader.name(plan, row)
        birth = reader.birth(plan, row, required=False)
        phone = plan.read("Телефон", cells.phone, reader.cell(row, "phone")) or ""
        email = plan.read("E-mail", cells.email, reader.cell(row, "email")) or ""
        relation = plan.read("Кем приходится", cells.text, reader.cell(row, "relation"), max_length=30) or ""
        if not phone and not email and not plan.errors:
            plan.error("Телефон", "укажите телефон или e-mail родителя")
        child = _child(reader, plan, row)
        if names is None:
            continue
        plan.label = " ".join(p for p in names if p) + (f", {ru_date(birth)}" if birth else "")
        if child is None or plan.errors:
            continue
        assert child.pk is not None
        plan.label += f" — {child.full_name}"
        parent = _find_parent(reader, plan, name_key(*names), birth, phone, email, child)
        if plan.errors:
            continue
        if parent is None:
            parent = reader.add_new(plan, Person(None, *names, birth, email=email, phone=phone, roles={Role.PARENT}))
            plan.changes.append("новый родитель")
            plan.writes.append(create_person(parent))
        elif parent.pk is None:
            plan.changes.append(f"тот же родитель, что в строке {parent.first_row}")
        earlier = pairs.setdefault((id(parent), child.pk), plan.row)
        if earlier != plan.row:
            plan.error("ФИО ребёнка", f"этот родитель и ребёнок уже указаны в строке {earlier}")
            continue
        if parent.pk is not None:
            _plan_existing(plan, parent, phone, email)
            reader.uses(plan, parent)
        _plan_link(reader, plan, parent, child, relation)
        plan.user_ids.add(child.pk)
    return plans


def _plan_existing(plan: RowPlan, parent: Person, phone: str, email: str) -> None:
    if Role.PARENT not in parent.roles:
        parent.roles.add(Role.PARENT)
        plan.changes.append("роль «родитель»")
        plan.writes.append(lambda ctx: people.grant_role(actor=ctx.actor, user=ctx.user(parent), role=Role.PARENT))
    changed = {}
    if phone and phone != parent.phone:
        parent.phone = changed["phone"] = phone
        plan.changes.append("телефон")
    if email and email != parent.email:
        parent.email = changed["email"] = email
        plan.changes.append("e-mail")
    if changed:
        plan.writes.append(lambda ctx: set_fields(ctx, ctx.user(parent), changed))


def _plan_link(reader: Reader, plan: RowPlan, parent: Person, child: Person, relation: str) -> None:
    assert child.pk is not None
    pair = (parent.pk, child.pk) if parent.pk is not None else None
    known = reader.snapshot.links.get(pair) if pair is not None else None
    if known is None:
        plan.changes.append(f"связь с ребёнком{f' ({relation})' if relation else ''}")

        def link(ctx: Context) -> None:
            people.link_parent(actor=ctx.actor, parent=ctx.user(parent), child=ctx.user(child), relation=relation)

        plan.writes.append(link)
    elif pair is not None and relation and relation != known:
        plan.changes.append(f"кем приходится: {relation}")
        reader.snapshot.links[pair] = relation

        def relate(ctx: Context) -> None:
            # link_parent keeps an existing link as it is; the relation the file states is written here.
            Guardianship.objects.filter(
                school_id=ctx.year.school_id, parent=ctx.user(parent), child=ctx.user(child)
            ).update(relation=relation)
            people.record_change(
                actor=ctx.actor, person=ctx.user(parent), field=PersonChange.GUARDIANSHIP, old=known, new=relation
            )

        plan.writes.append(relate)
