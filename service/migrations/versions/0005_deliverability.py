"""deliverability: do-not-contact entries (kind, note), site window, brake, domain cap, pause

Revision ID: 0005_deliver
Revises: 0002_board
"""

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0005_deliver"
down_revision = "0002_board"
DEFAULT_SEND_WINDOW = {"enabled": False, "days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suppressions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=8), server_default="email", nullable=False)
        )
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unsubscribe_footer", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("send_window", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("bounce_brake_percent", sa.Integer(), server_default="5", nullable=False)
        )
        batch_op.add_column(
            sa.Column("domain_daily_limit", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("paused_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("paused_at", service.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("brake_since", service.db.UTCDateTime(), nullable=True))
    sites = sa.table("sites", sa.column("send_window", sa.JSON()))
    op.execute(sites.update().values(send_window=DEFAULT_SEND_WINDOW))


def downgrade() -> None:
    with op.batch_alter_table("sites", schema=None) as batch_op:
        for column in (
            "brake_since",
            "paused_at",
            "paused_reason",
            "paused",
            "domain_daily_limit",
            "bounce_brake_percent",
            "send_window",
            "unsubscribe_footer",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("suppressions", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("kind")
