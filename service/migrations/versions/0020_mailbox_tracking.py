"""mailboxes: open and click tracking through the service's own links, off by default

Revision ID: 0020_mailbox_tracking
Revises: 0019_mailbox_idle
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_mailbox_tracking"
down_revision = "0019_mailbox_idle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("track_opens", "track_clicks"):
        column = sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
        op.add_column("mailboxes", column)


def downgrade() -> None:
    with op.batch_alter_table("mailboxes") as table:
        table.drop_column("track_clicks")
        table.drop_column("track_opens")
