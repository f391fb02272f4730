"""Medicine doses: each over-the-counter dose the person logs, so the diary can add them up.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the medicine_doses table."""
    op.create_table(
        "medicine_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("medicine", sa.String(length=40), nullable=False),
        sa.Column("dose_mg", sa.Integer(), nullable=False),
        sa.CheckConstraint("dose_mg > 0", name=op.f("ck_medicine_doses_dose_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medicine_doses")),
    )
    op.create_index(op.f("ix_medicine_doses_taken_at"), "medicine_doses", ["taken_at"])


def downgrade() -> None:
    """Drop the medicine_doses table."""
    op.drop_index(op.f("ix_medicine_doses_taken_at"), table_name="medicine_doses")
    op.drop_table("medicine_doses")
