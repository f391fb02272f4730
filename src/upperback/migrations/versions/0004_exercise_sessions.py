"""Exercise sessions (each of the programme's exercises done or skipped) and breaks taken.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the exercise_sessions and breaks_taken tables."""
    op.create_table(
        "exercise_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("exercises", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_sessions")),
    )
    op.create_index(op.f("ix_exercise_sessions_started_at"), "exercise_sessions", ["started_at"])
    op.create_table(
        "breaks_taken",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.CheckConstraint("seconds >= 0", name=op.f("ck_breaks_taken_seconds_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breaks_taken")),
    )
    op.create_index(op.f("ix_breaks_taken_started_at"), "breaks_taken", ["started_at"])


def downgrade() -> None:
    """Drop the exercise_sessions and breaks_taken tables."""
    op.drop_index(op.f("ix_breaks_taken_started_at"), table_name="breaks_taken")
    op.drop_table("breaks_taken")
    op.drop_index(op.f("ix_exercise_sessions_started_at"), table_name="exercise_sessions")
    op.drop_table("exercise_sessions")
