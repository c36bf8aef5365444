"""link checks (docs/links.md): when a card's last counted miss was, so that checks
seconds apart count as one failed check, not two in a row

Revision ID: 0012_link_misses
Revises: 0011_replies
"""

import sqlalchemy as sa
from alembic import op

from service.db import UTCDateTime

revision = "0012_link_misses"
down_revision = "0011_replies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy (see 0005_deliver).
    op.add_column("opportunities", sa.Column("link_missed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("opportunities", "link_missed_at")
