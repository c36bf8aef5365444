"""emails and opportunities: pages filled to 80 %, so a status update can stay on its page

An email's row is written once and then updated by every event (sent, delivered, opened,
clicked, replied); a card's by every status, counter and link check. With full pages each
update moves the row to another page and adds an entry to every one of the table's
indexes (eleven on emails). The columns those updates touch are not indexed, so with room
left on the page PostgreSQL updates in place (a HOT update): a 500-event open batch's
UPDATE of emails took ~20 % less (bench/README.md, session 9). Pages written before this
migration keep their fill; new ones get the room. SQLite has no such setting.

Revision ID: 0021_hot_updates
Revises: 0020_mailbox_tracking
"""

from alembic import op

revision = "0021_hot_updates"
down_revision = "0020_mailbox_tracking"
branch_labels = None
depends_on = None

TABLES = ("emails", "opportunities")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} SET (fillfactor = 80)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
