"""mailboxes (docs/api.md §15): the site's own SMTP/IMAP accounts, the mailbox an email
is sent from, the site's sending channel

Revision ID: 0016_mailboxes
Revises: 0015_experiments
"""

import sqlalchemy as sa
from alembic import op

from service.db import UTCDateTime

revision = "0016_mailboxes"
down_revision = "0015_experiments"
branch_labels = None
depends_on = None


def _servers() -> list[sa.Column]:
    columns = []
    for side in ("smtp", "imap"):
        columns += [
            sa.Column(f"{side}_host", sa.String(length=255), nullable=False),
            sa.Column(f"{side}_port", sa.Integer(), nullable=False),
            sa.Column(f"{side}_security", sa.String(length=16), nullable=False),
            sa.Column(f"{side}_username", sa.String(length=320), nullable=False),
        ]
    return columns


def upgrade() -> None:
    op.create_table(
        "mailboxes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("from_name", sa.String(length=200), nullable=True),
        sa.Column("provider", sa.String(length=16), nullable=False),
        *_servers(),
        sa.Column("imap_folder", sa.String(length=255), nullable=False),
        sa.Column("password_stored", sa.String(length=1000), nullable=True),
        sa.Column("imap_password_stored", sa.String(length=1000), nullable=True),
        sa.Column("refresh_token_stored", sa.String(length=4000), nullable=True),
        sa.Column("credentials_version", sa.Integer(), nullable=False),
        sa.Column("daily_limit", sa.Integer(), nullable=False),
        sa.Column("ramp_start", sa.Integer(), nullable=False),
        sa.Column("ramp_step", sa.Integer(), nullable=False),
        sa.Column("first_send_on", sa.Date(), nullable=True),
        sa.Column("save_to_sent", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("imap_uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("imap_last_uid", sa.BigInteger(), nullable=True),
        sa.Column("read_due_at", UTCDateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("site_id", "email", name="uq_mailboxes_site_email"),
    )
    op.create_index("ix_mailboxes_site_id", "mailboxes", ["site_id"])
    # Plain ADD COLUMN, never a batch copy (see 0005_deliver). No foreign key: SQLite
    # cannot add one to an existing table, and deleting a mailbox clears it itself.
    op.add_column("emails", sa.Column("mailbox_id", sa.Integer(), nullable=True))
    op.create_index("ix_emails_mailbox_id", "emails", ["mailbox_id"])
    op.add_column("sites", sa.Column("sending_channel", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("sites", "sending_channel")
    op.drop_index("ix_emails_mailbox_id", table_name="emails")
    op.drop_column("emails", "mailbox_id")
    op.drop_index("ix_mailboxes_site_id", table_name="mailboxes")
    op.drop_table("mailboxes")
