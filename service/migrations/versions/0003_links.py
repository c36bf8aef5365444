"""link monitoring: check history, watched backlinks, politeness state, card and site fields

Revision ID: 0003_links
Revises: 0002_board
Create Date: 2026-12-02 00:50:00.000000
"""
from alembic import op
import sqlalchemy as sa
import service.db


revision = '0003_links'
down_revision = '0002_board'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('link_hosts',
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('next_at', service.db.UTCDateTime(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('backoff_until', service.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_link_hosts'))
    )
    op.create_table('link_slots',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=True),
    sa.Column('held_until', service.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_slots'))
    )
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_check_reached_hours', sa.Float(), nullable=False,
                                      server_default='24'))
        batch_op.add_column(sa.Column('link_check_won_hours', sa.Float(), nullable=False,
                                      server_default='168'))
        batch_op.add_column(sa.Column('link_lost_after', sa.Integer(), nullable=False,
                                      server_default='2'))
        batch_op.add_column(sa.Column('link_retry_hours', sa.Float(), nullable=False,
                                      server_default='1'))
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=16), nullable=False,
                                      server_default='manual'))
        batch_op.add_column(sa.Column('link_status', sa.String(length=16), nullable=False,
                                      server_default='unchecked'))
        batch_op.add_column(sa.Column('link_checked_at', service.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('link_last_live_at', service.db.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('link_misses', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('link_lease_owner', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('link_lease_until', service.db.UTCDateTime(),
                                      nullable=True))
        batch_op.create_index('ix_opportunities_link_due', ['status', 'link_checked_at'],
                              unique=False)
    op.create_table('backlinks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('source_url', sa.String(length=2000), nullable=False),
    sa.Column('target_url', sa.String(length=2000), nullable=True),
    sa.Column('anchor_text', sa.String(length=500), nullable=True),
    sa.Column('dedupe_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('checked_at', service.db.UTCDateTime(), nullable=True),
    sa.Column('last_live_at', service.db.UTCDateTime(), nullable=True),
    sa.Column('lost_at', service.db.UTCDateTime(), nullable=True),
    sa.Column('misses', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('lease_owner', sa.String(length=64), nullable=True),
    sa.Column('lease_until', service.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', service.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_backlinks_opportunity_id_opportunities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_backlinks_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backlinks')),
    sa.UniqueConstraint('site_id', 'dedupe_key', name=op.f('uq_backlinks_site_id_dedupe_key'))
    )
    with op.batch_alter_table('backlinks', schema=None) as batch_op:
        batch_op.create_index('ix_backlinks_due', ['checked_at'], unique=False)
    op.create_table('link_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('backlink_id', sa.Integer(), nullable=True),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('checked_at', service.db.UTCDateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('final_url', sa.String(length=2000), nullable=True),
    sa.Column('href', sa.String(length=2000), nullable=True),
    sa.Column('anchor_text', sa.String(length=500), nullable=True),
    sa.Column('rel', sa.String(length=200), nullable=True),
    sa.Column('noindex', sa.Boolean(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['backlink_id'], ['backlinks.id'], name=op.f('fk_link_checks_backlink_id_backlinks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_link_checks_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_link_checks_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_checks'))
    )
    with op.batch_alter_table('link_checks', schema=None) as batch_op:
        batch_op.create_index('ix_link_checks_backlink', ['backlink_id', 'id'], unique=False)
        batch_op.create_index('ix_link_checks_opportunity', ['opportunity_id', 'id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_link_checks_site_id'), ['site_id'], unique=False)


def downgrade() -> None:
    op.drop_table('link_checks')
    op.drop_table('backlinks')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunities_link_due')
        for name in ('link_lease_until', 'link_lease_owner', 'link_misses', 'link_last_live_at',
                     'link_checked_at', 'link_status', 'origin'):
            batch_op.drop_column(name)
    with op.batch_alter_table('sites', schema=None) as batch_op:
        for name in ('link_retry_hours', 'link_lost_after', 'link_check_won_hours',
                     'link_check_reached_hours'):
            batch_op.drop_column(name)
    op.drop_table('link_slots')
    op.drop_table('link_hosts')
