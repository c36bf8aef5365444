"""experiments (docs/api.md §18): step variants, auto-winner and minimum sends; the
variant of each email and of each enrollment's steps; the per-step turn counter

Revision ID: 0015_experiments
Revises: 0014_saved_views
"""

import sqlalchemy as sa

import service.db
from alembic import op

revision = "0015_experiments"
down_revision = "0014_saved_views"
branch_labels = None
depends_on = None


def step_columns() -> list[sa.Column]:
    """Fresh Column objects (one may belong to one table only: migrations run twice in tests)."""
    return [
        sa.Column("variants", sa.JSON(), nullable=True),
        sa.Column("auto_winner", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("min_sends", sa.Integer(), server_default="100", nullable=False),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy (see 0005_deliver).
    for column in step_columns():
        op.add_column("sequence_steps", column)
    op.add_column("emails", sa.Column("variant", sa.Integer(), nullable=True))
    op.add_column("enrollments", sa.Column("variants", sa.JSON(), nullable=True))
    op.create_table(
        "step_experiments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "sequence_id",
            sa.Integer(),
            sa.ForeignKey("sequences.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("assigned", sa.Integer(), nullable=False),
        sa.Column("winner", sa.Integer(), nullable=True),
        sa.Column("winner_at", service.db.UTCDateTime(), nullable=True),
        sa.UniqueConstraint("sequence_id", "position"),
    )


def downgrade() -> None:
    op.drop_table("step_experiments")
    op.drop_column("enrollments", "variants")
    op.drop_column("emails", "variant")
    for column in reversed(step_columns()):
        op.drop_column("sequence_steps", column.name)
