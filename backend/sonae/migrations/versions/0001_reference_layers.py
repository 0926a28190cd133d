"""Reference layers: municipality, chome, address points, shelters, hazard zones, roads.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 16:14:52.944776
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # PostGIS is required; pgRouting is used where the server has it (routing checks for it).
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting') "
        "THEN CREATE EXTENSION IF NOT EXISTS pgrouting; END IF; END $$"
    )
    op.create_table('municipality',
    sa.Column('code', sa.CHAR(length=6), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('plane_rectangular_srid', sa.Integer(), nullable=False),
    sa.Column('outline', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_municipality'))
    )
    op.create_index('ix_municipality_outline', 'municipality', ['outline'], unique=False, postgresql_using='gist')
    op.create_table('address_point',
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('koaza', sa.String(length=100), nullable=False),
    sa.Column('point', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_address_point_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_address_point')),
    sa.UniqueConstraint('municipality_code', 'town', 'koaza', name=op.f('uq_address_point_municipality_code_town_koaza'))
    )
    op.create_index('ix_address_point_point', 'address_point', ['point'], unique=False, postgresql_using='gist')
    op.create_table('chome',
    sa.Column('key_code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('census_year', sa.SmallInteger(), nullable=True),
    sa.Column('boundary', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('point', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_chome_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_chome')),
    sa.UniqueConstraint('municipality_code', 'key_code', name=op.f('uq_chome_municipality_code_key_code'))
    )
    op.create_index('ix_chome_boundary', 'chome', ['boundary'], unique=False, postgresql_using='gist')
    op.create_index('ix_chome_point', 'chome', ['point'], unique=False, postgresql_using='gist')
    op.create_table('hazard_zone',
    sa.Column('hazard_type', sa.Enum('flood', 'tsunami', 'storm_surge', 'inland_flooding', 'landslide', 'liquefaction', name='hazard_type'), nullable=False),
    sa.Column('scenario', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.SmallInteger(), nullable=False),
    sa.Column('rank_label', sa.String(length=100), nullable=False),
    sa.Column('is_derived_scenario', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('source_feature_id', sa.String(length=100), nullable=True),
    sa.Column('geom', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_hazard_zone_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_hazard_zone'))
    )
    op.create_index('ix_hazard_zone_geom', 'hazard_zone', ['geom'], unique=False, postgresql_using='gist')
    op.create_table('import_record',
    sa.Column('layer', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.CHAR(length=64), nullable=False),
    sa.Column('feature_count', sa.Integer(), nullable=False),
    sa.Column('repaired_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_import_record_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_import_record'))
    )
    op.create_table('road_node',
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('node_id', sa.BigInteger(), nullable=False),
    sa.Column('point', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_road_node_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'node_id', name=op.f('pk_road_node'))
    )
    op.create_index('ix_road_node_point', 'road_node', ['point'], unique=False, postgresql_using='gist')
    op.create_table('shelter',
    sa.Column('source_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('designated_shelter', 'emergency_site', name='shelter_kind'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('is_welfare', sa.Boolean(), nullable=False),
    sa.Column('flood', sa.Boolean(), nullable=True),
    sa.Column('landslide', sa.Boolean(), nullable=True),
    sa.Column('storm_surge', sa.Boolean(), nullable=True),
    sa.Column('earthquake', sa.Boolean(), nullable=True),
    sa.Column('tsunami', sa.Boolean(), nullable=True),
    sa.Column('large_fire', sa.Boolean(), nullable=True),
    sa.Column('inland_flooding', sa.Boolean(), nullable=True),
    sa.Column('volcano', sa.Boolean(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('estimated_capacity', sa.Integer(), nullable=True),
    sa.Column('capacity_rule', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('point', geoalchemy2.types.Geometry(geometry_type='POINT', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_shelter_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_shelter')),
    sa.UniqueConstraint('municipality_code', 'kind', 'source_id', name=op.f('uq_shelter_municipality_code_kind_source_id'))
    )
    op.create_index('ix_shelter_point', 'shelter', ['point'], unique=False, postgresql_using='gist')
    op.create_table('shelter_capacity_rule',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('name_pattern', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_shelter_capacity_rule_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_shelter_capacity_rule')),
    sa.UniqueConstraint('municipality_code', 'name', name=op.f('uq_shelter_capacity_rule_municipality_code_name'))
    )
    op.create_table('hazard_zone_part',
    sa.Column('zone_id', sa.BigInteger(), nullable=False),
    sa.Column('hazard_type', postgresql.ENUM('flood', 'tsunami', 'storm_surge', 'inland_flooding', 'landslide', 'liquefaction', name='hazard_type', create_type=False), nullable=False),
    sa.Column('rank', sa.SmallInteger(), nullable=False),
    sa.Column('geom', geoalchemy2.types.Geometry(geometry_type='POLYGON', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'zone_id'], ['hazard_zone.municipality_code', 'hazard_zone.id'], name=op.f('fk_hazard_zone_part_municipality_code_zone_id_hazard_zone'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_hazard_zone_part_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'id', name=op.f('pk_hazard_zone_part'))
    )
    op.create_index('ix_hazard_zone_part_geom', 'hazard_zone_part', ['geom'], unique=False, postgresql_using='gist')
    op.create_table('road_edge',
    sa.Column('municipality_code', sa.CHAR(length=6), nullable=False),
    sa.Column('edge_id', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.BigInteger(), nullable=False),
    sa.Column('target', sa.BigInteger(), nullable=False),
    sa.Column('highway', sa.String(length=40), nullable=True),
    sa.Column('length_m', sa.Float(), nullable=False),
    sa.Column('cost', sa.Float(), nullable=False),
    sa.Column('reverse_cost', sa.Float(), nullable=False),
    sa.Column('geom', geoalchemy2.types.Geometry(geometry_type='LINESTRING', srid=6668, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code', 'source'], ['road_node.municipality_code', 'road_node.node_id'], name=op.f('fk_road_edge_municipality_code_source_road_node'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code', 'target'], ['road_node.municipality_code', 'road_node.node_id'], name=op.f('fk_road_edge_municipality_code_target_road_node'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_road_edge_municipality_code_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_code', 'edge_id', name=op.f('pk_road_edge'))
    )
    op.create_index('ix_road_edge_geom', 'road_edge', ['geom'], unique=False, postgresql_using='gist')


def downgrade() -> None:
    op.drop_index('ix_road_edge_geom', table_name='road_edge', postgresql_using='gist')
    op.drop_table('road_edge')
    op.drop_index('ix_hazard_zone_part_geom', table_name='hazard_zone_part', postgresql_using='gist')
    op.drop_table('hazard_zone_part')
    op.drop_table('shelter_capacity_rule')
    op.drop_index('ix_shelter_point', table_name='shelter', postgresql_using='gist')
    op.drop_table('shelter')
    op.drop_index('ix_road_node_point', table_name='road_node', postgresql_using='gist')
    op.drop_table('road_node')
    op.drop_table('import_record')
    op.drop_index('ix_hazard_zone_geom', table_name='hazard_zone', postgresql_using='gist')
    op.drop_table('hazard_zone')
    op.drop_index('ix_chome_point', table_name='chome', postgresql_using='gist')
    op.drop_index('ix_chome_boundary', table_name='chome', postgresql_using='gist')
    op.drop_table('chome')
    op.drop_index('ix_address_point_point', table_name='address_point', postgresql_using='gist')
    op.drop_table('address_point')
    op.drop_index('ix_municipality_outline', table_name='municipality', postgresql_using='gist')
    op.drop_table('municipality')
    # Extensions stay: other schemas in the same database may use them.
    sa.Enum(name="hazard_type").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="shelter_kind").drop(op.get_bind(), checkfirst=True)
