"""First schema: saved checks, pain diary entries and ice/heat timer sessions.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checks")),
    )
    op.create_index(op.f("ix_checks_created_at"), "checks", ["created_at"])
    op.create_table(
        "diary_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("helped", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("symptoms", sa.JSON(), nullable=False),
        sa.CheckConstraint("pain >= 0 AND pain <= 10", name=op.f("ck_diary_entries_pain_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_entries")),
    )
    op.create_index(op.f("ix_diary_entries_created_at"), "diary_entries", ["created_at"])
    op.create_table(
        "timer_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.CheckConstraint("planned_minutes > 0", name=op.f("ck_timer_sessions_planned_positive")),
        sa.CheckConstraint("seconds >= 0", name=op.f("ck_timer_sessions_seconds_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timer_sessions")),
    )
    op.create_index(op.f("ix_timer_sessions_started_at"), "timer_sessions", ["started_at"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index(op.f("ix_timer_sessions_started_at"), table_name="timer_sessions")
    op.drop_table("timer_sessions")
    op.drop_index(op.f("ix_diary_entries_created_at"), table_name="diary_entries")
    op.drop_table("diary_entries")
    op.drop_index(op.f("ix_checks_created_at"), table_name="checks")
    op.drop_table("checks")
