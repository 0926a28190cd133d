"""Disaster events and their phase history; disaster mode remembers the event and area.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:50:30.284728
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


EVENT_PHASE = postgresql.ENUM(name='event_phase', create_type=False)


def upgrade() -> None:
    op.create_table('disaster_event',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('hazard', sa.Enum('earthquake', 'tsunami', 'flood', 'storm_surge', 'inland_flooding', 'landslide', 'typhoon', 'large_fire', 'volcano', 'other', name='event_hazard'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('phase', sa.Enum('normal', 'initial_response', 'sheltering', 'damage_certification', 'temporary_housing', 'reconstruction', 'closed', name='event_phase'), nullable=False),
    sa.Column('scenario', sa.String(length=100), nullable=True),
    sa.Column('affected_chome', postgresql.ARRAY(sa.String(length=20)), nullable=False),
    sa.Column('affected_area', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('declared_by', sa.String(length=100), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_disaster_event_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_disaster_event'))
    )
    op.create_index('ix_disaster_event_area', 'disaster_event', ['affected_area'], unique=False, postgresql_using='gist')
    op.create_table('event_phase_transition',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('from_phase', EVENT_PHASE, nullable=False),
    sa.Column('to_phase', EVENT_PHASE, nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('moved_by', sa.String(length=100), nullable=False),
    sa.Column('moved_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_event_phase_transition_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_event_phase_transition_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_event_phase_transition'))
    )
    op.create_index('ix_event_phase_transition_event', 'event_phase_transition', ['municipality_code', 'event_id', 'id'], unique=False)
    op.add_column('disaster_mode_switch', sa.Column('event_id', sa.BigInteger(), nullable=True))
    op.add_column('disaster_mode_switch', sa.Column('affected_chome', postgresql.ARRAY(sa.String(length=20)), nullable=True))


def downgrade() -> None:
    op.drop_column('disaster_mode_switch', 'affected_chome')
    op.drop_column('disaster_mode_switch', 'event_id')
    op.drop_index('ix_event_phase_transition_event', table_name='event_phase_transition')
    op.drop_table('event_phase_transition')
    op.drop_index('ix_disaster_event_area', table_name='disaster_event', postgresql_using='gist')
    op.drop_table('disaster_event')
    op.execute('DROP TYPE event_phase')
    op.execute('DROP TYPE event_hazard')
