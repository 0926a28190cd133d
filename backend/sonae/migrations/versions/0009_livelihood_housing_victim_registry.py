"""Livelihood-support applications and payments, temporary housing, the victim registry.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 18:58:02.503028
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


DAMAGE_LEVEL = postgresql.ENUM(name='damage_level', create_type=False)
LIVELIHOOD_STATUS = postgresql.ENUM(name='livelihood_status', create_type=False)
HOUSING_STATUS = postgresql.ENUM(name='housing_status', create_type=False)
ENUM_TYPES = (
    'housing_site_kind',
    'housing_status',
    'livelihood_kind',
    'livelihood_level',
    'livelihood_plan',
    'livelihood_status',
    'victim_support_kind',
)


def upgrade() -> None:
    op.create_table('housing_allocation_run',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('applicants', sa.Integer(), nullable=False),
    sa.Column('allocated', sa.Integer(), nullable=False),
    sa.Column('lottery_pool', postgresql.ARRAY(sa.BigInteger()), nullable=False),
    sa.Column('policy', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('run_by', sa.String(length=100), nullable=False),
    sa.Column('run_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_housing_allocation_run_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_housing_allocation_run_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_housing_allocation_run'))
    )
    op.create_table('housing_site',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.Enum('built', 'leased', name='housing_site_kind'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address_text', sa.String(length=300), nullable=True),
    sa.Column('chome_key_code', sa.String(length=20), nullable=True),
    sa.Column('location', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('barrier_free_units', sa.Integer(), nullable=False),
    sa.Column('vulnerable_cap', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_housing_site_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_housing_site_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_housing_site'))
    )
    op.create_index('ix_housing_site_location', 'housing_site', ['location'], unique=False, postgresql_using='gist')
    op.create_table('livelihood_application',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('kind', sa.Enum('basic', 'additional', name='livelihood_kind'), nullable=False),
    sa.Column('plan', sa.Enum('build', 'repair', 'rent', 'none', name='livelihood_plan'), nullable=False),
    sa.Column('level', sa.Enum('total_collapse', 'large_scale_half', 'medium_scale_half', 'half', 'quasi_half', 'partial', 'demolition', 'long_term_evacuation', name='livelihood_level'), nullable=False),
    sa.Column('certificate_serial', sa.String(length=40), nullable=True),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('received', 'approved', 'rejected', 'withdrawn', 'paid', name='livelihood_status'), nullable=False),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_livelihood_application_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_livelihood_application_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_livelihood_application'))
    )
    op.create_index('ix_livelihood_application_household', 'livelihood_application', ['municipality_code', 'event_id', 'household_number'], unique=False)
    op.create_table('victim_data_provision',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('items', postgresql.ARRAY(sa.String(length=50)), nullable=False),
    sa.Column('provided_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_victim_data_provision_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_victim_data_provision_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_victim_data_provision'))
    )
    op.create_index('ix_victim_provision_household', 'victim_data_provision', ['municipality_code', 'event_id', 'household_number'], unique=False)
    op.create_table('victim_support',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.Enum('donation', 'fee_exemption', 'goods', 'other', name='victim_support_kind'), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_victim_support_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_victim_support_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_victim_support'))
    )
    op.create_index('ix_victim_support_household', 'victim_support', ['municipality_code', 'event_id', 'household_number'], unique=False)
    op.create_table('housing_application',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('damage_level', DAMAGE_LEVEL, nullable=False),
    sa.Column('certificate_serial', sa.String(length=40), nullable=False),
    sa.Column('demolition', sa.Boolean(), nullable=False),
    sa.Column('cannot_secure_housing', sa.Boolean(), nullable=False),
    sa.Column('housing_note', sa.Text(), nullable=True),
    sa.Column('needs_barrier_free', sa.Boolean(), nullable=False),
    sa.Column('chome_key_code', sa.String(length=20), nullable=True),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('received', 'waiting', 'allocated', 'moved_in', 'moved_out', 'rejected', 'withdrawn', name='housing_status'), nullable=False),
    sa.Column('site_id', sa.BigInteger(), nullable=True),
    sa.Column('barrier_free_unit', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Boolean(), nullable=True),
    sa.Column('moved_in_on', sa.Date(), nullable=True),
    sa.Column('limit_on', sa.Date(), nullable=True),
    sa.Column('moved_out_on', sa.Date(), nullable=True),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_housing_application_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'site_id'], ['housing_site.municipality_code', 'housing_site.id'], name=op.f('fk_housing_application_municipality_code_site_id_housing_site'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_housing_application_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_housing_application'))
    )
    op.create_index('ix_housing_application_household', 'housing_application', ['municipality_code', 'event_id', 'household_number'], unique=False)
    op.create_table('livelihood_application_history',
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('from_status', LIVELIHOOD_STATUS, nullable=True),
    sa.Column('to_status', LIVELIHOOD_STATUS, nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'application_id'], ['livelihood_application.municipality_code', 'livelihood_application.id'], name=op.f('fk_livelihood_application_history_municipality_code_application_id_livelihood_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_livelihood_application_history_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_livelihood_application_history'))
    )
    op.create_index('ix_livelihood_history_application', 'livelihood_application_history', ['municipality_code', 'application_id'], unique=False)
    op.create_table('livelihood_payment',
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'application_id'], ['livelihood_application.municipality_code', 'livelihood_application.id'], name=op.f('fk_livelihood_payment_municipality_code_application_id_livelihood_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_livelihood_payment_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_livelihood_payment'))
    )
    op.create_index('ix_livelihood_payment_application', 'livelihood_payment', ['municipality_code', 'application_id'], unique=False)
    op.create_table('housing_application_history',
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('from_status', HOUSING_STATUS, nullable=True),
    sa.Column('to_status', HOUSING_STATUS, nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'application_id'], ['housing_application.municipality_code', 'housing_application.id'], name=op.f('fk_housing_application_history_municipality_code_application_id_housing_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_housing_application_history_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_housing_application_history'))
    )
    op.create_index('ix_housing_history_application', 'housing_application_history', ['municipality_code', 'application_id'], unique=False)
    op.create_table('housing_decision',
    sa.Column('run_id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('site_id', sa.BigInteger(), nullable=True),
    sa.Column('barrier_free_unit', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Boolean(), nullable=False),
    sa.Column('lottery_rank', sa.Integer(), nullable=True),
    sa.Column('waiting_rank', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'application_id'], ['housing_application.municipality_code', 'housing_application.id'], name=op.f('fk_housing_decision_municipality_code_application_id_housing_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'run_id'], ['housing_allocation_run.municipality_code', 'housing_allocation_run.id'], name=op.f('fk_housing_decision_municipality_code_run_id_housing_allocation_run'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_housing_decision_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_housing_decision'))
    )
    op.create_index('ix_housing_decision_run', 'housing_decision', ['municipality_code', 'run_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_housing_decision_run', table_name='housing_decision')
    op.drop_table('housing_decision')
    op.drop_index('ix_housing_history_application', table_name='housing_application_history')
    op.drop_table('housing_application_history')
    op.drop_index('ix_livelihood_payment_application', table_name='livelihood_payment')
    op.drop_table('livelihood_payment')
    op.drop_index('ix_livelihood_history_application', table_name='livelihood_application_history')
    op.drop_table('livelihood_application_history')
    op.drop_index('ix_housing_application_household', table_name='housing_application')
    op.drop_table('housing_application')
    op.drop_index('ix_victim_support_household', table_name='victim_support')
    op.drop_table('victim_support')
    op.drop_index('ix_victim_provision_household', table_name='victim_data_provision')
    op.drop_table('victim_data_provision')
    op.drop_index('ix_livelihood_application_household', table_name='livelihood_application')
    op.drop_table('livelihood_application')
    op.drop_index('ix_housing_site_location', table_name='housing_site', postgresql_using='gist')
    op.drop_table('housing_site')
    op.drop_table('housing_allocation_run')
    for name in ENUM_TYPES:
        op.execute(f'DROP TYPE {name}')
