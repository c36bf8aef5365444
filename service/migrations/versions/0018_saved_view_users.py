"""saved views: the WordPress user id is a 64-bit number (as in audit_log)

Revision ID: 0018_saved_view_users
Revises: 0017_projects
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_saved_view_users"
down_revision = "0017_projects"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A batch on SQLite copies the table: saved_views is new and small (50 per person).
    with op.batch_alter_table("saved_views") as table:
        table.alter_column("user_id", type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("saved_views") as table:
        table.alter_column("user_id", type_=sa.Integer(), existing_nullable=False)
