"""indexes of insights: emails by send time, audit entries by resource

Revision ID: 0006_insights
Revises: 0002_board
Create Date: 2026-12-02 00:45:00.000000
"""
from alembic import op


revision = '0006_insights'
down_revision = '0005_deliver'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_site_resource', ['site_id', 'resource_type', 'resource_id'], unique=False)
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.create_index('ix_emails_site_sent', ['site_id', 'sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_index('ix_emails_site_sent')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_site_resource')
