"""replies understood (docs/api.md §16): a reply's kind, label and suggested contacts, the
Inbox's index; the
site's auto-reply pause, unsubscribe-reply and same-domain-stop settings; room for the
stop reason "colleague_replied"

Revision ID: 0011_replies
Revises: 0010_harden
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_replies"
down_revision = "0010_harden"
branch_labels = None
depends_on = None


def site_columns() -> list[sa.Column]:
    """Fresh Column objects (one may belong to one table only: migrations run twice in tests)."""
    return [
        sa.Column("auto_reply_pause_days", sa.Integer(), server_default="7", nullable=False),
        sa.Column(
            "honour_unsubscribe_replies", sa.Boolean(), server_default=sa.true(), nullable=False
        ),
        sa.Column("stop_domain_on_reply", sa.Boolean(), server_default=sa.true(), nullable=False),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy (see 0005_deliver).
    op.add_column(
        "replies", sa.Column("kind", sa.String(length=24), server_default="human", nullable=False)
    )
    op.add_column("replies", sa.Column("label", sa.String(length=16), nullable=True))
    op.add_column("replies", sa.Column("suggested_contacts", sa.JSON(), nullable=True))
    op.create_index("ix_replies_site_received", "replies", ["site_id", "received_at"])
    for column in site_columns():
        op.add_column("sites", column)
    if op.get_bind().dialect.name == "postgresql":  # SQLite does not enforce the length
        op.alter_column(
            "enrollments",
            "stop_reason",
            type_=sa.String(length=32),
            existing_type=sa.String(length=16),
            existing_nullable=True,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE enrollments SET stop_reason = 'reply' WHERE stop_reason = 'colleague_replied'"
        )
        op.alter_column(
            "enrollments",
            "stop_reason",
            type_=sa.String(length=16),
            existing_type=sa.String(length=32),
            existing_nullable=True,
        )
    for column in reversed(site_columns()):
        op.drop_column("sites", column.name)
    op.drop_index("ix_replies_site_received", table_name="replies")
    for name in ("suggested_contacts", "label", "kind"):
        op.drop_column("replies", name)
