"""mailboxes: the lease of the scheduler process waiting on a mailbox with IMAP IDLE

Revision ID: 0019_mailbox_idle
Revises: 0018_saved_view_users
"""

import sqlalchemy as sa
from alembic import op

from service.db import UTCDateTime

revision = "0019_mailbox_idle"
down_revision = "0018_saved_view_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Two nullable columns: an ADD COLUMN on both dialects, no table copy.
    op.add_column("mailboxes", sa.Column("idle_owner", sa.String(length=64), nullable=True))
    op.add_column("mailboxes", sa.Column("idle_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mailboxes") as table:
        table.drop_column("idle_until")
        table.drop_column("idle_owner")
