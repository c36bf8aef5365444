"""saved board views per WordPress user (docs/api.md §20)

Revision ID: 0014_saved_views
Revises: 0013_metrics
"""

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0014_saved_views"
down_revision = "0013_metrics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("site_id", "user_id", "name", name="uq_saved_views_site_user_name"),
    )


def downgrade() -> None:
    op.drop_table("saved_views")
