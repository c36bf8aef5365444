"""prospect metrics on cards (docs/api.md §20): DR, traffic, referring domains, URL
rating, spam score and the tool they came from

Revision ID: 0013_metrics
Revises: 0012_link_misses
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_metrics"
down_revision = "0012_link_misses"
branch_labels = None
depends_on = None


def metric_columns() -> list[sa.Column]:
    """Fresh Column objects (one may belong to one table only: migrations run twice in tests)."""
    return [
        sa.Column("dr", sa.Integer(), nullable=True),
        sa.Column("traffic", sa.BigInteger(), nullable=True),
        sa.Column("referring_domains", sa.BigInteger(), nullable=True),
        sa.Column("url_rating", sa.Integer(), nullable=True),
        sa.Column("spam_score", sa.Integer(), nullable=True),
        sa.Column("metrics_source", sa.String(length=32), nullable=True),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy (see 0005_deliver).
    for column in metric_columns():
        op.add_column("opportunities", column)


def downgrade() -> None:
    for column in reversed(metric_columns()):
        op.drop_column("opportunities", column.name)
