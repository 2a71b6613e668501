"""The weekly timetable: every class gets compact days (from the first lesson, no gaps), no teacher is in
two places at once, and a subject is spread over the week rather than doubled on one day.

Local search (min-conflicts): classes are filled greedily, then lessons of one class swap places until no
teacher clash is left. Swaps keep each class's days compact by construction, so the only hard constraint
left to search is the teacher's. Pure Python on indices; the random source is passed in (deterministic).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_NUMBERS = 16  # lesson numbers per day in the time key; more than any bell schedule
_CLASH = 20  # a teacher clash weighs more than any number of subjects doubled on a day
_POLISH_STEPS = 2_000  # once no teacher clash is left, this many more steps to spread doubled subjects


class TimetableError(Exception):
    """The grid cannot be built: a class has more hours than its days hold, or the search gave up."""


@dataclass(frozen=True)
class Block:
    """The weekly hours of one subject of one class; two teachers at once when the class is split."""

    class_key: int
    subject_key: str
    teachers: tuple[int, ...]
    hours: int


def schedule(
    blocks: Sequence[Block],
    max_per_day: Mapping[int, int],
    rng: random.Random,
    *,
    days: int = 5,
    max_steps: int = 60_000,
    attempts: int = 8,
) -> list[list[tuple[int, int]]]:
    """Place every hour of every block; returns, per block, its (weekday 1…days, lesson number 1…) pairs."""
    for _ in range(attempts):
        placed = _Search(blocks, max_per_day, rng, days).run(max_steps)
        if placed is not None:
            return placed
    raise TimetableError("Не удалось составить расписание без накладок: слишком большая нагрузка учителей.")


class _Search:
    def __init__(self, blocks: Sequence[Block], max_per_day: Mapping[int, int], rng: random.Random, days: int):
        self.blocks = blocks
        self.rng = rng
        self.days = days
        self.item_block: list[int] = []
        class_items: dict[int, list[int]] = defaultdict(list)
        for bi, block in enumerate(blocks):
            for _ in range(block.hours):
                class_items[block.class_key].append(len(self.item_block))
                self.item_block.append(bi)
        self.item_teachers = [blocks[bi].teachers for bi in self.item_block]
        self.allowed = [max(1, math.ceil(b.hours / days)) for b in blocks]

        self.slot_day: list[int] = []
        self.slot_time: list[int] = []
        self.class_slots: dict[int, list[int]] = {}
        for class_key in sorted(class_items):
            total = len(class_items[class_key])
            cap = max_per_day[class_key]
            if total > cap * days:
                raise TimetableError(f"У класса {total} ч в неделю — больше, чем {cap} уроков × {days} дней.")
            base, extra = divmod(total, days)
            long_days = set(rng.sample(range(days), extra))
            slots = []
            for day in range(days):
                for number in range(base + (day in long_days)):
                    slots.append(len(self.slot_day))
                    self.slot_day.append(day)
                    self.slot_time.append(day * _NUMBERS + number)
            self.class_slots[class_key] = slots
        self.slot_class = [0] * len(self.slot_day)
        for class_key, slots in self.class_slots.items():
            for s in slots:
                self.slot_class[s] = class_key

        teacher_count = 1 + max((t for b in blocks for t in b.teachers), default=0)
        self.occ = [[0] * (days * _NUMBERS) for _ in range(teacher_count)]
        self.day_count = [[0] * days for _ in blocks]
        self.item_slot = [-1] * len(self.item_block)
        self.slot_item = [-1] * len(self.slot_day)
        self.clashes = 0
        self._fill(class_items)

    def _fill(self, class_items: dict[int, list[int]]) -> None:
        """Greedy start: lessons of the busiest teachers first, each into the least bad free slot of its class."""
        load: dict[int, int] = defaultdict(int)
        for block in self.blocks:
            for t in block.teachers:
                load[t] += block.hours
        order = [i for items in class_items.values() for i in items]
        keys = {i: (-max(load[t] for t in self.item_teachers[i]), self.rng.random()) for i in order}
        order.sort(key=keys.__getitem__)
        free = {c: list(slots) for c, slots in self.class_slots.items()}
        for item in order:
            bi = self.item_block[item]
            teachers = self.item_teachers[item]
            candidates = free[self.blocks[bi].class_key]
            best_cost, best = None, -1
            for s in candidates:
                time, day = self.slot_time[s], self.slot_day[s]
                cost = _CLASH * sum(self.occ[t][time] for t in teachers)
                cost += max(0, self.day_count[bi][day] + 1 - self.allowed[bi])
                key = (cost, self.rng.random())
                if best_cost is None or key < best_cost:
                    best_cost, best = key, s
            candidates.remove(best)
            self._put(item, best)

    def _put(self, item: int, slot: int) -> None:
        time = self.slot_time[slot]
        for t in self.item_teachers[item]:
            if self.occ[t][time] >= 1:
                self.clashes += 1
            self.occ[t][time] += 1
        self.day_count[self.item_block[item]][self.slot_day[slot]] += 1
        self.item_slot[item] = slot
        self.slot_item[slot] = item

    def _is_bad(self, item: int) -> bool:
        slot = self.item_slot[item]
        time = self.slot_time[slot]
        if any(self.occ[t][time] > 1 for t in self.item_teachers[item]):
            return True
        bi = self.item_block[item]
        return self.day_count[bi][self.slot_day[slot]] > self.allowed[bi]

    def _delta(self, a: int, b: int) -> int:
        """Change of cost if the lessons in slots a and b (one class) swap places."""
        x, y = self.slot_item[a], self.slot_item[b]
        ta, tb = self.slot_time[a], self.slot_time[b]
        tx, ty = self.item_teachers[x], self.item_teachers[y]
        clash = 0
        for t in tx:
            if t not in ty:
                row = self.occ[t]
                clash += (row[tb] >= 1) - (row[ta] >= 2)
        for t in ty:
            if t not in tx:
                row = self.occ[t]
                clash += (row[ta] >= 1) - (row[tb] >= 2)
        doubled = 0
        da, db = self.slot_day[a], self.slot_day[b]
        if da != db:
            for bi, leave, enter in ((self.item_block[x], da, db), (self.item_block[y], db, da)):
                counts, allowed = self.day_count[bi], self.allowed[bi]
                doubled += (counts[enter] >= allowed) - (counts[leave] > allowed)
        return _CLASH * clash + doubled

    def _swap(self, a: int, b: int) -> None:
        x, y = self.slot_item[a], self.slot_item[b]
        for item, old in ((x, a), (y, b)):
            time = self.slot_time[old]
            for t in self.item_teachers[item]:
                self.occ[t][time] -= 1
                if self.occ[t][time] >= 1:
                    self.clashes -= 1
            self.day_count[self.item_block[item]][self.slot_day[old]] -= 1
        self._put(x, b)
        self._put(y, a)

    def run(self, max_steps: int) -> list[list[tuple[int, int]]] | None:
        rng = self.rng
        bad: list[int] = []
        clash_free_since: int | None = None
        for step in range(max_steps):
            if step % 50 == 0 or not bad:
                bad = [i for i in range(len(self.item_block)) if self._is_bad(i)]
                if not bad:
                    break
            if self.clashes:
                clash_free_since = None
            elif clash_free_since is None:
                clash_free_since = step
            elif step - clash_free_since > _POLISH_STEPS:
                break  # a subject doubled on a day is a blemish, not worth a long search
            x = rng.choice(bad)
            if not self._is_bad(x):
                bad.remove(x)
                continue
            a = self.item_slot[x]
            best: list[int] = []
            best_delta = 0
            for b in self.class_slots[self.slot_class[a]]:
                if b == a or self.item_block[self.slot_item[b]] == self.item_block[x]:
                    continue
                delta = self._delta(a, b)
                if not best or delta < best_delta:
                    best, best_delta = [b], delta
                elif delta == best_delta:
                    best.append(b)
            # Sideways and, now and then, uphill moves get the search off a plateau.
            if best and (best_delta <= 0 or rng.random() < 0.2):
                self._swap(a, rng.choice(best))
        if self.clashes:
            return None
        placed: list[list[tuple[int, int]]] = [[] for _ in self.blocks]
        for item, slot in enumerate(self.item_slot):
            time = self.slot_time[slot]
            placed[self.item_block[item]].append((time // _NUMBERS + 1, time % _NUMBERS + 1))
        for hours in placed:
            hours.sort()
        return placed
