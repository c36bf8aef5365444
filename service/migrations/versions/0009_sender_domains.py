"""sender domains: domains a site proves by a DNS TXT record (docs/api.md §20)

Revision ID: 0009_sender_domains
Revises: 0008_queue
"""

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0009_sender_domains"
down_revision = "0008_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = service.db.UTCDateTime
    op.create_table(
        "sender_domains",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("domain", sa.String(253), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("verified_at", when(), nullable=True),
        sa.Column("checked_at", when(), nullable=True),
        sa.UniqueConstraint("site_id", "domain", name="uq_sender_domains_site_domain"),
    )
    op.create_index("ix_sender_domains_site_id", "sender_domains", ["site_id"])


def downgrade() -> None:
    op.drop_index("ix_sender_domains_site_id", table_name="sender_domains")
    op.drop_table("sender_domains")
