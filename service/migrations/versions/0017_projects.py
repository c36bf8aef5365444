"""projects and client reports (docs/api.md §19): projects, a card's project_id, share links

Revision ID: 0017_projects
Revises: 0016_mailboxes
"""

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0017_projects"
down_revision = "0016_mailboxes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("client", sa.String(length=200), nullable=True),
        sa.Column("target_domain", sa.String(length=253), nullable=True),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", service.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_projects_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("site_id", "name", name="uq_projects_site_name"),
    )
    op.create_index(op.f("ix_projects_site_id"), "projects", ["site_id"])
    op.create_table(
        "project_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", service.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", service.db.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", service.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_shares_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_project_shares_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_shares")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_project_shares_token_hash")),
    )
    op.create_index(op.f("ix_project_shares_project_id"), "project_shares", ["project_id"])
    # Plain ADD COLUMN, never a batch copy (see 0005_deliver); SQLite cannot add a
    # constraint to a table, only a column with its reference inline.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE opportunities ADD COLUMN project_id INTEGER "
            "REFERENCES projects (id)"
        )
    else:
        op.add_column("opportunities", sa.Column("project_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_opportunities_project_id_projects"),
            "opportunities",
            "projects",
            ["project_id"],
            ["id"],
        )
    op.create_index(
        "ix_opportunities_project",
        "opportunities",
        ["site_id", "project_id", "status"],
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_opportunities_project", table_name="opportunities")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(
            "fk_opportunities_project_id_projects", "opportunities", type_="foreignkey"
        )
    op.drop_column("opportunities", "project_id")
    op.drop_index(op.f("ix_project_shares_project_id"), table_name="project_shares")
    op.drop_table("project_shares")
    op.drop_index(op.f("ix_projects_site_id"), table_name="projects")
    op.drop_table("projects")
