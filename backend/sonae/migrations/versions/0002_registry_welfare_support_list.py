"""Resident registry, welfare records, support list, consent, evacuation plans, My Number.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:30:43.199592
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('address_number', sa.String(length=15), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('resident_kind', sa.Enum('japanese', 'foreign', name='resident_kind'), nullable=False),
    sa.Column('status', sa.Enum('resident', 'moved_out', 'deceased', 'erased', name='resident_status'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_kana', sa.String(length=100), nullable=True),
    sa.Column('name_roman', sa.String(length=200), nullable=True),
    sa.Column('former_surname', sa.String(length=50), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.Enum('male', 'female', name='sex'), nullable=False),
    sa.Column('relation_to_head', sa.String(length=20), nullable=False),
    sa.Column('address_text', sa.String(length=300), nullable=False),
    sa.Column('address_annex', sa.String(length=200), nullable=True),
    sa.Column('nationality', sa.String(length=60), nullable=True),
    sa.Column('residence_status', sa.String(length=60), nullable=True),
    sa.Column('resident_code', sa.String(length=11), nullable=True),
    sa.Column('became_resident_on', sa.Date(), nullable=True),
    sa.Column('address_since', sa.Date(), nullable=True),
    sa.Column('status_since', sa.Date(), nullable=True),
    sa.Column('chome_key_code', sa.String(length=20), nullable=True),
    sa.Column('location', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('geocode_status', sa.Enum('address_point', 'chome', 'unmatched', name='geocode_status'), nullable=False),
    sa.Column('geocode_note', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_person_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_person')),
    sa.UniqueConstraint('municipality_code', 'address_number', name=op.f('uq_person_municipality_code_address_number'))
    )
    op.create_index('ix_person_household', 'person', ['municipality_code', 'household_number'], unique=False)
    op.create_index('ix_person_location', 'person', ['location'], unique=False, postgresql_using='gist')
    op.create_table('registry_import',
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('encoding', sa.String(length=20), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('geocoded', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_registry_import_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_registry_import'))
    )
    op.create_table('support_rule_set',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rules', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_support_rule_set_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_support_rule_set')),
    sa.UniqueConstraint('municipality_code', 'version', name=op.f('uq_support_rule_set_municipality_code_version'))
    )
    op.create_table('consent',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('scope', sa.Enum('list_sharing', 'evacuation_plan', name='consent_scope'), nullable=False),
    sa.Column('status', sa.Enum('agreed', 'refused', 'not_asked', name='consent_status'), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'person_id'], ['person.municipality_code', 'person.id'], name=op.f('fk_consent_municipality_code_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_consent_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_consent'))
    )
    op.create_index('ix_consent_person', 'consent', ['municipality_code', 'person_id', 'scope', 'recorded_at'], unique=False)
    op.create_table('evacuation_plan',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('supporters', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('destination_shelter_id', sa.BigInteger(), nullable=True),
    sa.Column('route', geoalchemy2.types.Geometry(geometry_type='LINESTRING', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('care_notes', sa.Text(), nullable=True),
    sa.Column('emergency_contacts', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'person_id'], ['person.municipality_code', 'person.id'], name=op.f('fk_evacuation_plan_municipality_code_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_evacuation_plan_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_evacuation_plan')),
    sa.UniqueConstraint('municipality_code', 'person_id', name=op.f('uq_evacuation_plan_municipality_code_person_id'))
    )
    op.create_table('disaster_mode_switch',
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('switched_by', sa.String(length=100), nullable=False),
    sa.Column('switched_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_disaster_mode_switch_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_disaster_mode_switch'))
    )
    op.create_index('ix_disaster_mode_switch_at', 'disaster_mode_switch', ['municipality_code', 'switched_at'], unique=False)
    op.create_table('my_number',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('nonce', sa.LargeBinary(length=12), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('lookup_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('key_version', sa.SmallInteger(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'person_id'], ['person.municipality_code', 'person.id'], name=op.f('fk_my_number_municipality_code_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_my_number_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_my_number')),
    sa.UniqueConstraint('municipality_code', 'lookup_hash', name=op.f('uq_my_number_municipality_code_lookup_hash')),
    sa.UniqueConstraint('municipality_code', 'person_id', name=op.f('uq_my_number_municipality_code_person_id'))
    )
    op.create_table('person_history',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('change', sa.Enum('initial', 'moved_in', 'birth', 'moved_out', 'death', 'address_change', 'household_change', 'correction', name='change_kind'), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('status', postgresql.ENUM('resident', 'moved_out', 'deceased', 'erased', name='resident_status', create_type=False), nullable=False),
    sa.Column('household_number', sa.String(length=15), nullable=False),
    sa.Column('relation_to_head', sa.String(length=20), nullable=False),
    sa.Column('address_text', sa.String(length=300), nullable=False),
    sa.Column('import_id', sa.BigInteger(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'person_id'], ['person.municipality_code', 'person.id'], name=op.f('fk_person_history_municipality_code_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_person_history_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_person_history'))
    )
    op.create_index('ix_person_history_person', 'person_history', ['municipality_code', 'person_id', 'effective_on'], unique=False)
    op.create_table('support_list_build',
    sa.Column('rule_set_id', sa.BigInteger(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('built_by', sa.String(length=100), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('residents', sa.Integer(), nullable=False),
    sa.Column('listed', sa.Integer(), nullable=False),
    sa.Column('counts', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'rule_set_id'], ['support_rule_set.municipality_code', 'support_rule_set.id'], name=op.f('fk_support_list_build_municipality_code_rule_set_id_support_rule_set')),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_support_list_build_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_support_list_build'))
    )
    op.create_table('welfare_record',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('care_level', sa.Enum('support_1', 'support_2', 'care_1', 'care_2', 'care_3', 'care_4', 'care_5', name='care_level'), nullable=True),
    sa.Column('physical_disability_grade', sa.SmallInteger(), nullable=True),
    sa.Column('physical_disability_type', sa.String(length=40), nullable=True),
    sa.Column('intellectual_disability_grade', sa.String(length=4), nullable=True),
    sa.Column('mental_disability_grade', sa.SmallInteger(), nullable=True),
    sa.Column('intractable_disease', sa.Boolean(), nullable=False),
    sa.Column('language_need', sa.String(length=40), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('self_request', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'person_id'], ['person.municipality_code', 'person.id'], name=op.f('fk_welfare_record_municipality_code_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_welfare_record_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_welfare_record')),
    sa.UniqueConstraint('municipality_code', 'person_id', name=op.f('uq_welfare_record_municipality_code_person_id'))
    )
    op.create_table('support_list_entry',
    sa.Column('build_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('reasons', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('hazards', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('priority', sa.Float(), nullable=False),
    sa.Column('shelter_id', sa.BigInteger(), nullable=True),
    sa.Column('shelter_distance_m', sa.Float(), nullable=True),
    sa.Column('district', sa.String(length=100), nullable=True),
    sa.Column('age', sa.Integer(), nullable=False),
    sa.Column('snapshot', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'build_id'], ['support_list_build.municipality_code', 'support_list_build.id'], name=op.f('fk_support_list_entry_municipality_code_build_id_support_list_build'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'person_id'], ['person.municipality_code', 'person.id'], name=op.f('fk_support_list_entry_municipality_code_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_support_list_entry')),
    sa.UniqueConstraint('municipality_code', 'build_id', 'person_id', name=op.f('uq_support_list_entry_municipality_code_build_id_person_id'))
    )


def downgrade() -> None:
    op.drop_table('support_list_entry')
    op.drop_table('welfare_record')
    op.drop_table('support_list_build')
    op.drop_index('ix_person_history_person', table_name='person_history')
    op.drop_table('person_history')
    op.drop_table('my_number')
    op.drop_index('ix_disaster_mode_switch_at', table_name='disaster_mode_switch')
    op.drop_table('disaster_mode_switch')
    op.drop_table('evacuation_plan')
    op.drop_index('ix_consent_person', table_name='consent')
    op.drop_table('consent')
    op.drop_table('support_rule_set')
    op.drop_table('registry_import')
    op.drop_index('ix_person_location', table_name='person', postgresql_using='gist')
    op.drop_index('ix_person_household', table_name='person')
    op.drop_table('person')
    sa.Enum(name="care_level").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="change_kind").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="consent_scope").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="consent_status").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="geocode_status").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="resident_kind").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="resident_status").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="sex").drop(op.get_bind(), checkfirst=True)
