"""Public mode: a diary for each visitor, reader comments, moderators and shared rate limits.

Every personal table gains a `diary_id` (None in one person's own database, where nothing
changes). Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSONAL_TABLES = ("checks", "diary_entries", "timer_sessions", "medicine_doses",
                   "exercise_sessions", "breaks_taken")


def upgrade() -> None:
    """Add diary_id to the personal tables; create the public mode's tables."""
    for table in PERSONAL_TABLES:
        op.add_column(table, sa.Column("diary_id", sa.Integer(), nullable=True))
        op.create_index(op.f(f"ix_{table}_diary_id"), table, ["diary_id"])
    op.create_table(
        "diaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diaries")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_diaries_key_hash")),
    )
    op.create_index(op.f("ix_diaries_last_used_at"), "diaries", ["last_used_at"])
    op.create_table(
        "comments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("page", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_for", sa.String(length=40), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')",
                           name=op.f("ck_comments_status_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(op.f("ix_comments_page"), "comments", ["page"])
    op.create_index(op.f("ix_comments_status"), "comments", ["status"])
    op.create_index(op.f("ix_comments_created_at"), "comments", ["created_at"])
    op.create_table(
        "moderators",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_moderators")),
    )
    op.create_table(
        "moderator_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("moderator", sa.String(length=80), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_moderator_sessions")),
    )
    op.create_index(op.f("ix_moderator_sessions_expires_at"), "moderator_sessions",
                    ["expires_at"])
    op.create_table(
        "rate_counts",
        sa.Column("bucket", sa.String(length=100), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window_start", name=op.f("pk_rate_counts")),
    )


def downgrade() -> None:
    """Drop the public mode's tables and the diary_id columns."""
    op.drop_table("rate_counts")
    op.drop_index(op.f("ix_moderator_sessions_expires_at"), table_name="moderator_sessions")
    op.drop_table("moderator_sessions")
    op.drop_table("moderators")
    for index in ("created_at", "status", "page"):
        op.drop_index(op.f(f"ix_comments_{index}"), table_name="comments")
    op.drop_table("comments")
    op.drop_index(op.f("ix_diaries_last_used_at"), table_name="diaries")
    op.drop_table("diaries")
    for table in PERSONAL_TABLES:
        op.drop_index(op.f(f"ix_{table}_diary_id"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("diary_id")
