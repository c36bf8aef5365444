"""deliverability: do-not-contact entries (kind, note), site window, brake, domain cap, pause

Revision ID: 0005_deliver
Revises: 0002_board
"""

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0005_deliver"
down_revision = "0004_convo"
DEFAULT_SEND_WINDOW = {"enabled": False, "days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}
branch_labels = None
depends_on = None


def site_columns() -> list[sa.Column]:
    """Fresh Column objects (one may belong to one table only: migrations run twice in tests)."""
    return [
        sa.Column("unsubscribe_footer", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("send_window", sa.JSON(), nullable=True),
        sa.Column("bounce_brake_percent", sa.Integer(), server_default="5", nullable=False),
        sa.Column("domain_daily_limit", sa.Integer(), server_default="0", nullable=False),
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("paused_reason", sa.Text(), nullable=True),
        sa.Column("paused_at", service.db.UTCDateTime(), nullable=True),
        sa.Column("brake_since", service.db.UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    # Plain ALTER TABLE ADD/DROP COLUMN, never a batch copy: on SQLite a copy drops and
    # recreates `sites`, and ON DELETE CASCADE would empty every table that references it.
    op.add_column(
        "suppressions",
        sa.Column("kind", sa.String(length=8), server_default="email", nullable=False),
    )
    op.add_column("suppressions", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("emails", sa.Column("to_domain", sa.String(length=320), nullable=True))
    op.create_index(
        "ix_emails_site_domain", "emails", ["site_id", "to_domain", "created_at"], unique=False
    )
    # Emails of the last day count towards the per-domain cap from the first minute.
    after_at = (
        "split_part(to_normalized, '@', 2)"
        if op.get_bind().dialect.name == "postgresql"
        else "substr(to_normalized, instr(to_normalized, '@') + 1)"
    )
    op.execute(f"UPDATE emails SET to_domain = {after_at} WHERE to_domain IS NULL")
    for column in site_columns():
        op.add_column("sites", column)
    sites = sa.table("sites", sa.column("send_window", sa.JSON()))
    op.execute(sites.update().values(send_window=DEFAULT_SEND_WINDOW))


def downgrade() -> None:
    for column in reversed(site_columns()):
        op.drop_column("sites", column.name)
    op.drop_index("ix_emails_site_domain", table_name="emails")
    op.drop_column("emails", "to_domain")
    op.drop_column("suppressions", "note")
    op.drop_column("suppressions", "kind")
