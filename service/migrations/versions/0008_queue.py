"""the sending queue: a site's hourly limit and the spacing between two sends

Revision ID: 0008_queue
Revises: 0007_webhooks
Create Date: 2026-12-07 01:10:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = '0008_queue'
down_revision = '0007_webhooks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hourly_limit', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(
            sa.Column('min_spacing_seconds', sa.Integer(), server_default='60', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('min_spacing_seconds')
        batch_op.drop_column('hourly_limit')
