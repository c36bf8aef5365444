"""harden (issue 21): the encryption key's check value, the reply-forward hourly cap
(the site's limit, and when each reply was forwarded)

Revision ID: 0010_harden
Revises: 0009_sender_domains
"""

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0010_harden"
down_revision = "0009_sender_domains"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_checks",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("sealed", sa.String(length=500), nullable=False),
        sa.Column("key_source", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Plain ADD COLUMN, never a batch copy of `sites` (see 0005_deliver).
    op.add_column(
        "sites",
        sa.Column(
            "reply_forward_hourly_limit", sa.Integer(), server_default="20", nullable=False
        ),
    )
    op.add_column("replies", sa.Column("forwarded_at", service.db.UTCDateTime(), nullable=True))
    op.create_index(
        "ix_replies_site_forwarded", "replies", ["site_id", "forwarded_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_replies_site_forwarded", table_name="replies")
    op.drop_column("replies", "forwarded_at")
    op.drop_column("sites", "reply_forward_hourly_limit")
    op.drop_table("key_checks")
