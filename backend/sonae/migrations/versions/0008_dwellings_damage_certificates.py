"""Dwellings, damage surveys and judgements, re-survey requests, damage certificates.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 18:54:39.535181
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


STRUCTURE_KIND = postgresql.ENUM(name='structure_kind', create_type=False)
RESURVEY_STATE = postgresql.ENUM(name='resurvey_state', create_type=False)
DAMAGE_LEVEL = postgresql.ENUM(name='damage_level', create_type=False)
ENUM_TYPES = (
    'application_channel', 'damage_level', 'dwelling_source', 'location_precision',
    'resurvey_state', 'structure_kind', 'survey_hazard', 'survey_round',
)


def upgrade() -> None:
    op.create_table('certificate_template',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_certificate_template_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_certificate_template')),
    sa.UniqueConstraint('municipality_code', 'version', name=op.f('uq_certificate_template_municipality_code_version'))
    )
    op.create_table('damage_criteria_set',
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rules', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_by', sa.String(length=100), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_damage_criteria_set_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_damage_criteria_set')),
    sa.UniqueConstraint('municipality_code', 'version', name=op.f('uq_damage_criteria_set_municipality_code_version'))
    )
    op.create_table('dwelling',
    sa.Column('source', sa.Enum('footprint', 'address', name='dwelling_source'), nullable=False),
    sa.Column('source_ref', sa.String(length=300), nullable=False),
    sa.Column('address_key', sa.String(length=300), nullable=True),
    sa.Column('structure', sa.Enum('wooden', 'prefabricated', 'non_wooden', name='structure_kind'), nullable=True),
    sa.Column('storeys', sa.Integer(), nullable=True),
    sa.Column('chome_key_code', sa.String(length=20), nullable=True),
    sa.Column('footprint', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('location', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('location_precision', sa.Enum('building', 'town', 'unknown', name='location_precision'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_dwelling_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_dwelling')),
    sa.UniqueConstraint('municipality_code', 'source', 'source_ref', name=op.f('uq_dwelling_municipality_code_source_source_ref'))
    )
    op.create_index('ix_dwelling_address_key', 'dwelling', ['municipality_code', 'address_key'], unique=False)
    op.create_index('ix_dwelling_footprint', 'dwelling', ['footprint'], unique=False, postgresql_using='gist')
    op.create_index('ix_dwelling_location', 'dwelling', ['location'], unique=False, postgresql_using='gist')
    op.create_table('certificate_application',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('applicant_address_number', sa.String(length=15), nullable=False),
    sa.Column('channel', sa.Enum('counter', 'online', name='application_channel'), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.Column('first_issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_certificate_application_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_certificate_application_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_certificate_application')),
    sa.UniqueConstraint('municipality_code', 'event_id', 'household_number', name=op.f('uq_certificate_application_municipality_code_event_id_household_number'))
    )
    op.create_index('ix_certificate_application_applied', 'certificate_application', ['municipality_code', 'event_id', 'applied_at'], unique=False)
    op.create_table('certificate_serial_counter',
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_certificate_serial_counter_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'event_id', name=op.f('pk_certificate_serial_counter'))
    )
    op.create_table('damage_criteria_switch',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('criteria_set_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('rejudged', sa.Integer(), nullable=False),
    sa.Column('switched_by', sa.String(length=100), nullable=False),
    sa.Column('switched_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'criteria_set_id'], ['damage_criteria_set.municipality_code', 'damage_criteria_set.id'], name=op.f('fk_damage_criteria_switch_municipality_code_criteria_set_id_damage_criteria_set'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_damage_criteria_switch_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_damage_criteria_switch_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_damage_criteria_switch'))
    )
    op.create_index('ix_damage_criteria_switch_event', 'damage_criteria_switch', ['municipality_code', 'event_id', 'id'], unique=False)
    op.create_table('damage_survey',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('dwelling_id', sa.BigInteger(), nullable=False),
    sa.Column('round', sa.Enum('first_exterior', 'second_interior', name='survey_round'), nullable=False),
    sa.Column('hazard', sa.Enum('earthquake', 'liquefaction', 'flood', 'wind', name='survey_hazard'), nullable=False),
    sa.Column('structure', STRUCTURE_KIND, nullable=False),
    sa.Column('surveyor', sa.String(length=100), nullable=False),
    sa.Column('surveyed_on', sa.Date(), nullable=False),
    sa.Column('part_damage', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('direct_ratio', sa.Float(), nullable=True),
    sa.Column('flood_depth_m', sa.Float(), nullable=True),
    sa.Column('tilt', sa.Float(), nullable=True),
    sa.Column('collapsed', sa.Boolean(), nullable=False),
    sa.Column('storey_collapsed', sa.Boolean(), nullable=False),
    sa.Column('washed_away', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('resurvey_request_id', sa.BigInteger(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'dwelling_id'], ['dwelling.municipality_code', 'dwelling.id'], name=op.f('fk_damage_survey_municipality_code_dwelling_id_dwelling'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_damage_survey_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_damage_survey_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_damage_survey'))
    )
    op.create_index('ix_damage_survey_dwelling', 'damage_survey', ['municipality_code', 'event_id', 'dwelling_id'], unique=False)
    op.create_table('dwelling_household',
    sa.Column('dwelling_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('linked_by', sa.String(length=30), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'dwelling_id'], ['dwelling.municipality_code', 'dwelling.id'], name=op.f('fk_dwelling_household_municipality_code_dwelling_id_dwelling'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_dwelling_household_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_dwelling_household')),
    sa.UniqueConstraint('municipality_code', 'household_number', name=op.f('uq_dwelling_household_municipality_code_household_number'))
    )
    op.create_index('ix_dwelling_household_dwelling', 'dwelling_household', ['municipality_code', 'dwelling_id'], unique=False)
    op.create_table('resurvey_request',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('dwelling_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('contested_judgement_id', sa.BigInteger(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('requested', 'scheduled', 'surveyed', 'decided', 'rejected', 'withdrawn', name='resurvey_state'), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'dwelling_id'], ['dwelling.municipality_code', 'dwelling.id'], name=op.f('fk_resurvey_request_municipality_code_dwelling_id_dwelling'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_resurvey_request_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_resurvey_request_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_resurvey_request'))
    )
    op.create_index('ix_resurvey_request_event', 'resurvey_request', ['municipality_code', 'event_id', 'state'], unique=False)
    op.create_table('damage_judgement',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('dwelling_id', sa.BigInteger(), nullable=False),
    sa.Column('survey_id', sa.BigInteger(), nullable=False),
    sa.Column('criteria_set_id', sa.BigInteger(), nullable=False),
    sa.Column('level', sa.Enum('total_collapse', 'large_scale_half', 'medium_scale_half', 'half', 'quasi_half', 'partial', name='damage_level'), nullable=False),
    sa.Column('ratio', sa.Float(), nullable=True),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('cause', sa.String(length=30), nullable=False),
    sa.Column('judged_by', sa.String(length=100), nullable=False),
    sa.Column('judged_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'criteria_set_id'], ['damage_criteria_set.municipality_code', 'damage_criteria_set.id'], name=op.f('fk_damage_judgement_municipality_code_criteria_set_id_damage_criteria_set'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'dwelling_id'], ['dwelling.municipality_code', 'dwelling.id'], name=op.f('fk_damage_judgement_municipality_code_dwelling_id_dwelling'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_damage_judgement_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'survey_id'], ['damage_survey.municipality_code', 'damage_survey.id'], name=op.f('fk_damage_judgement_municipality_code_survey_id_damage_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_damage_judgement_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_damage_judgement')),
    sa.UniqueConstraint('municipality_code', 'survey_id', 'criteria_set_id', name=op.f('uq_damage_judgement_municipality_code_survey_id_criteria_set_id'))
    )
    op.create_index('ix_damage_judgement_dwelling', 'damage_judgement', ['municipality_code', 'event_id', 'dwelling_id', 'id'], unique=False)
    op.create_table('damage_survey_photo',
    sa.Column('survey_id', sa.BigInteger(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'survey_id'], ['damage_survey.municipality_code', 'damage_survey.id'], name=op.f('fk_damage_survey_photo_municipality_code_survey_id_damage_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_damage_survey_photo_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_damage_survey_photo')),
    sa.UniqueConstraint('municipality_code', 'survey_id', 'sha256', name=op.f('uq_damage_survey_photo_municipality_code_survey_id_sha256'))
    )
    op.create_table('resurvey_transition',
    sa.Column('request_id', sa.BigInteger(), nullable=False),
    sa.Column('from_state', RESURVEY_STATE, nullable=True),
    sa.Column('to_state', RESURVEY_STATE, nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('moved_by', sa.String(length=100), nullable=False),
    sa.Column('moved_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'request_id'], ['resurvey_request.municipality_code', 'resurvey_request.id'], name=op.f('fk_resurvey_transition_municipality_code_request_id_resurvey_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_resurvey_transition_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_resurvey_transition'))
    )
    op.create_index('ix_resurvey_transition_request', 'resurvey_transition', ['municipality_code', 'request_id', 'id'], unique=False)
    op.create_table('damage_certificate',
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=40), nullable=False),
    sa.Column('judgement_id', sa.BigInteger(), nullable=False),
    sa.Column('damage_level', DAMAGE_LEVEL, nullable=False),
    sa.Column('reissue_of', sa.BigInteger(), nullable=True),
    sa.Column('reissue_reason', sa.Text(), nullable=True),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'application_id'], ['certificate_application.municipality_code', 'certificate_application.id'], name=op.f('fk_damage_certificate_municipality_code_application_id_certificate_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'event_id'], ['disaster_event.municipality_code', 'disaster_event.id'], name=op.f('fk_damage_certificate_municipality_code_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'judgement_id'], ['damage_judgement.municipality_code', 'damage_judgement.id'], name=op.f('fk_damage_certificate_municipality_code_judgement_id_damage_judgement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_damage_certificate_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_damage_certificate')),
    sa.UniqueConstraint('municipality_code', 'event_id', 'sequence', name=op.f('uq_damage_certificate_municipality_code_event_id_sequence')),
    sa.UniqueConstraint('municipality_code', 'event_id', 'serial', name=op.f('uq_damage_certificate_municipality_code_event_id_serial'))
    )
    op.create_index('ix_damage_certificate_household', 'damage_certificate', ['municipality_code', 'event_id', 'household_number'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_damage_certificate_household', table_name='damage_certificate')
    op.drop_table('damage_certificate')
    op.drop_index('ix_resurvey_transition_request', table_name='resurvey_transition')
    op.drop_table('resurvey_transition')
    op.drop_table('damage_survey_photo')
    op.drop_index('ix_damage_judgement_dwelling', table_name='damage_judgement')
    op.drop_table('damage_judgement')
    op.drop_index('ix_resurvey_request_event', table_name='resurvey_request')
    op.drop_table('resurvey_request')
    op.drop_index('ix_dwelling_household_dwelling', table_name='dwelling_household')
    op.drop_table('dwelling_household')
    op.drop_index('ix_damage_survey_dwelling', table_name='damage_survey')
    op.drop_table('damage_survey')
    op.drop_index('ix_damage_criteria_switch_event', table_name='damage_criteria_switch')
    op.drop_table('damage_criteria_switch')
    op.drop_table('certificate_serial_counter')
    op.drop_index('ix_certificate_application_applied', table_name='certificate_application')
    op.drop_table('certificate_application')
    op.drop_index('ix_dwelling_address_key', table_name='dwelling')
    op.drop_index('ix_dwelling_location', table_name='dwelling', postgresql_using='gist')
    op.drop_index('ix_dwelling_footprint', table_name='dwelling', postgresql_using='gist')
    op.drop_table('dwelling')
    op.drop_table('damage_criteria_set')
    op.drop_table('certificate_template')
    for name in ENUM_TYPES:
        op.execute(f'DROP TYPE {name}')
