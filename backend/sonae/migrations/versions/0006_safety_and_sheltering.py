"""Safety confirmation (reports, current status, tasks), shelter openings, stays, evacuees, idempotency.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 18:53:57.022603
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('idempotency_record',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_idempotency_record_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_idempotency_record')),
    sa.UniqueConstraint('municipality_code', 'user_id', 'key', name=op.f('uq_idempotency_record_municipality_code_user_id_key'))
    )
    op.create_table('evacuee',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.Enum('visitor', 'commuter', 'tourist', 'other', name='evacuee_kind'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_kana', sa.String(length=100), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', postgresql.ENUM(name='sex', create_type=False), nullable=True),
    sa.Column('home_address', sa.String(length=300), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_evacuee_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_evacuee_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_evacuee'))
    )
    op.create_table('safety_current',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=True),
    sa.Column('evacuee_id', sa.BigInteger(), nullable=True),
    sa.Column('report_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Enum('unknown', 'safe', 'injured', 'missing', 'deceased', 'evacuated', name='safety_status'), nullable=False),
    sa.Column('whereabouts', sa.Enum('unknown', 'home', 'shelter', 'relative_home', 'car', 'outside_city', 'hospital', 'other', name='whereabouts'), nullable=False),
    sa.Column('shelter_id', sa.BigInteger(), nullable=True),
    sa.Column('observed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.CheckConstraint('(person_id IS NULL) <> (evacuee_id IS NULL)', name=op.f('ck_safety_current_one_subject')),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_safety_current_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_safety_current_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_safety_current'))
    )
    op.create_index('uq_safety_current_evacuee', 'safety_current', ['municipality_code', 'event_id', 'evacuee_id'], unique=True, postgresql_where=sa.text('evacuee_id IS NOT NULL'))
    op.create_index('uq_safety_current_person', 'safety_current', ['municipality_code', 'event_id', 'person_id'], unique=True, postgresql_where=sa.text('person_id IS NOT NULL'))
    op.create_table('safety_report',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=True),
    sa.Column('evacuee_id', sa.BigInteger(), nullable=True),
    sa.Column('status', postgresql.ENUM(name='safety_status', create_type=False), nullable=False),
    sa.Column('whereabouts', postgresql.ENUM(name='whereabouts', create_type=False), nullable=False),
    sa.Column('shelter_id', sa.BigInteger(), nullable=True),
    sa.Column('place_note', sa.String(length=300), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('location', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('source', sa.Enum('visit', 'phone', 'shelter_checkin', 'third_party', 'self_report', name='report_source'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('observed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.CheckConstraint('(person_id IS NULL) <> (evacuee_id IS NULL)', name=op.f('ck_safety_report_one_subject')),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_safety_report_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_safety_report_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_safety_report'))
    )
    op.create_index('ix_safety_report_evacuee', 'safety_report', ['municipality_code', 'event_id', 'evacuee_id'], unique=False)
    op.create_index('ix_safety_report_person', 'safety_report', ['municipality_code', 'event_id', 'person_id'], unique=False)
    op.create_table('safety_task',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('district', sa.String(length=100), nullable=False),
    sa.Column('chome_key_code', sa.String(length=20), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('assigned_to', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_safety_task_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_safety_task_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_safety_task'))
    )
    op.create_index('ix_safety_task_district', 'safety_task', ['municipality_code', 'event_id', 'district'], unique=False)
    op.create_index('uq_safety_task_person', 'safety_task', ['municipality_code', 'event_id', 'person_id'], unique=True)
    op.create_table('shelter_opening',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('shelter_id', sa.BigInteger(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.String(length=100), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.Column('floor_area_m2', sa.Numeric(precision=10, scale=1), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('capacity_basis', sa.Enum('floor_area', 'official', 'estimate', name='capacity_basis'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_shelter_opening_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'shelter_id'], ['shelter.municipality_code', 'shelter.id'], name=op.f('fk_shelter_opening_municipality_code_shelter_id_shelter')),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_shelter_opening_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_shelter_opening'))
    )
    op.create_index('uq_shelter_opening_open', 'shelter_opening', ['municipality_code', 'event_id', 'shelter_id'], unique=True, postgresql_where=sa.text('closed_at IS NULL'))
    op.create_table('shelter_stay',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('shelter_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=True),
    sa.Column('evacuee_id', sa.BigInteger(), nullable=True),
    sa.Column('identified_by', sa.Enum('address_number', 'card_facts', 'typed', 'unregistered', name='identified_by'), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_in_by', sa.String(length=100), nullable=False),
    sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_out_by', sa.String(length=100), nullable=True),
    sa.Column('ended_by', sa.Enum('checked_out', 'transferred', name='stay_end'), nullable=True),
    sa.Column('transferred_from_stay_id', sa.BigInteger(), nullable=True),
    sa.Column('needs_care', sa.Boolean(), nullable=False),
    sa.Column('needs_medical', sa.Boolean(), nullable=False),
    sa.Column('allergy', sa.Boolean(), nullable=False),
    sa.Column('with_pets', sa.Boolean(), nullable=False),
    sa.Column('language_support', sa.String(length=50), nullable=True),
    sa.Column('needs_note', sa.String(length=500), nullable=True),
    sa.Column('disclose_to_family', sa.Boolean(), nullable=False),
    sa.Column('disclose_to_acquaintances', sa.Boolean(), nullable=False),
    sa.Column('disclose_to_public', sa.Boolean(), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.CheckConstraint('(person_id IS NULL) <> (evacuee_id IS NULL)', name=op.f('ck_shelter_stay_one_subject')),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_shelter_stay_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'shelter_id'], ['shelter.municipality_code', 'shelter.id'], name=op.f('fk_shelter_stay_municipality_code_shelter_id_shelter')),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_shelter_stay_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_shelter_stay'))
    )
    op.create_index('ix_shelter_stay_shelter', 'shelter_stay', ['municipality_code', 'event_id', 'shelter_id'], unique=False)
    op.create_index('uq_shelter_stay_open_evacuee', 'shelter_stay', ['municipality_code', 'event_id', 'evacuee_id'], unique=True, postgresql_where=sa.text('checked_out_at IS NULL AND evacuee_id IS NOT NULL'))
    op.create_index('uq_shelter_stay_open_person', 'shelter_stay', ['municipality_code', 'event_id', 'person_id'], unique=True, postgresql_where=sa.text('checked_out_at IS NULL AND person_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('uq_shelter_stay_open_person', table_name='shelter_stay', postgresql_where=sa.text('checked_out_at IS NULL AND person_id IS NOT NULL'))
    op.drop_index('uq_shelter_stay_open_evacuee', table_name='shelter_stay', postgresql_where=sa.text('checked_out_at IS NULL AND evacuee_id IS NOT NULL'))
    op.drop_index('ix_shelter_stay_shelter', table_name='shelter_stay')
    op.drop_table('shelter_stay')
    op.drop_index('uq_shelter_opening_open', table_name='shelter_opening', postgresql_where=sa.text('closed_at IS NULL'))
    op.drop_table('shelter_opening')
    op.drop_index('uq_safety_task_person', table_name='safety_task')
    op.drop_index('ix_safety_task_district', table_name='safety_task')
    op.drop_table('safety_task')
    op.drop_index('ix_safety_report_person', table_name='safety_report')
    op.drop_index('ix_safety_report_evacuee', table_name='safety_report')
    op.drop_table('safety_report')
    op.drop_index('uq_safety_current_person', table_name='safety_current', postgresql_where=sa.text('person_id IS NOT NULL'))
    op.drop_index('uq_safety_current_evacuee', table_name='safety_current', postgresql_where=sa.text('evacuee_id IS NOT NULL'))
    op.drop_table('safety_current')
    op.drop_table('evacuee')
    op.drop_table('idempotency_record')
    for name in ('evacuee_kind', 'safety_status', 'whereabouts', 'report_source', 'capacity_basis', 'identified_by', 'stay_end'):
        op.execute(sa.text(f'DROP TYPE {name}'))
