"""review queue, organisation synonyms, crosswalks and import runs

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 11:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crosswalks',
    sa.Column('code', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('uri', sa.String(length=200), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_crosswalks'))
    )
    op.create_table('import_runs',
    sa.Column('import_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=True),
    sa.Column('files', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('import_id', name=op.f('pk_import_runs'))
    )
    op.create_table('organisation_synonyms',
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('uri', sa.String(length=200), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.organisation_id'], name=op.f('fk_organisation_synonyms_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'kind', 'digest', name=op.f('pk_organisation_synonyms'))
    )
    op.create_table('review_texts',
    sa.Column('review_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('candidates', sa.JSON(), nullable=False),
    sa.Column('sampled', sa.Boolean(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['import_runs.import_id'], name=op.f('fk_review_texts_import_id_import_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('review_id', name=op.f('pk_review_texts')),
    sa.UniqueConstraint('kind', 'digest', name=op.f('uq_review_texts_kind'))
    )
    op.create_index(op.f('ix_review_texts_import_id'), 'review_texts', ['import_id'], unique=False)
    op.create_table('review_counts',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=False),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'], name=op.f('fk_review_counts_municipality_code_municipalities')),
    sa.ForeignKeyConstraint(['review_id'], ['review_texts.review_id'], name=op.f('fk_review_counts_review_id_review_texts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'municipality_code', name=op.f('pk_review_counts'))
    )
    op.create_index('ix_review_counts_municipality_code', 'review_counts', ['municipality_code', 'review_id', 'occurrences'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_review_counts_municipality_code', table_name='review_counts')
    op.drop_table('review_counts')
    op.drop_index(op.f('ix_review_texts_import_id'), table_name='review_texts')
    op.drop_table('review_texts')
    op.drop_table('organisation_synonyms')
    op.drop_table('import_runs')
    op.drop_table('crosswalks')
