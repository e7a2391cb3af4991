"""background jobs: the job rows every process reads; procrastinate's queue on PostgreSQL

Revision ID: 0011
Revises: 0009 (0010 may land first from another branch: rechain at merge)
Create Date: 2026-12-03 16:40:00

On PostgreSQL the schema of procrastinate (the pinned version's ``schema.sql``) is applied
here, so ``werkmatch init-db`` and every start that migrates bring the queue along; SQLite
runs its jobs in-process and gets only the ``background_jobs`` table. A newer procrastinate
with schema changes comes with a new migration applying its files of ``sql/migrations``.
"""
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from matching.store.access import UtcDateTime


revision: str = '0011'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('background_jobs',
    sa.Column('job_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('organisation_id', sa.String(length=64), nullable=True),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('reuse_key', sa.String(length=200), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('reused', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=True),
    sa.Column('queue_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('started_at', UtcDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_background_jobs'))
    )
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_background_jobs_kind_reuse_key', ['kind', 'reuse_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_jobs_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_jobs_state'), ['state'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        _driver(_procrastinate_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        schema = _procrastinate_schema()
        drops = [f'DROP TABLE IF EXISTS {name} CASCADE' for name in re.findall(r'CREATE TABLE (\w+)', schema)]
        drops += [f'DROP FUNCTION IF EXISTS {name} CASCADE' for name in re.findall(r'CREATE FUNCTION (\w+)', schema)]
        drops += [f'DROP TYPE IF EXISTS {name} CASCADE' for name in re.findall(r'CREATE TYPE (\w+)', schema)]
        _driver(';\n'.join(drops))
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_background_jobs_organisation_id'))
        batch_op.drop_index('ix_background_jobs_kind_reuse_key')
    op.drop_table('background_jobs')


def _procrastinate_schema() -> str:
    from procrastinate.schema import SchemaManager

    return str(SchemaManager.get_schema())


def _driver(sql: str) -> None:
    """Run ``sql`` on the driver connection of the migration (no bind-parameter parsing)."""
    op.get_bind().connection.driver_connection.execute(sql)  # type: ignore[union-attr]
