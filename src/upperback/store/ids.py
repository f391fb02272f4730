"""Random ids for a visitor's records (public mode): they reveal neither how many records the
site holds nor where another visitor's are."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from .models import BreakRow, CheckRow, DoseRow, EntryRow, ExerciseSessionRow, TimerRow
from .values import INT_MAX

# The tables of a person's own records (each row belongs to one diary, or to the one person).
PersonalRow = CheckRow | EntryRow | TimerRow | DoseRow | ExerciseSessionRow | BreakRow


def fresh_id(session: Session, model: type[PersonalRow]) -> int:
    """A random id from 1 to INT_MAX (the API's whole numbers) that no row of this table
    holds yet, looked up in the write transaction: SQLite holds the write lock, and on
    PostgreSQL a clash of two new rows would need two equal draws out of two billion."""
    while True:
        candidate = secrets.randbelow(INT_MAX) + 1
        if session.get(model, candidate) is None:
            return candidate
