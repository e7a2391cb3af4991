"""programmes: programmes (rules and targets as data) and enrolments (trajectories)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('programmes',
    sa.Column('programme_id', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('municipalities', sa.Text(), nullable=True),
    sa.Column('postcode4_areas', sa.Text(), nullable=True),
    sa.Column('age_min', sa.Integer(), nullable=True),
    sa.Column('age_max', sa.Integer(), nullable=True),
    sa.Column('ladder_steps', sa.String(length=20), nullable=True),
    sa.Column('benefits', sa.String(length=100), nullable=True),
    sa.Column('target_groups', sa.String(length=100), nullable=True),
    sa.Column('min_hours', sa.Integer(), nullable=True),
    sa.Column('min_hours_exception', sa.Integer(), nullable=True),
    sa.Column('languages', sa.String(length=200), nullable=True),
    sa.Column('phases', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('evaluation_moments', sa.String(length=200), nullable=True),
    sa.Column('target_participants', sa.Integer(), nullable=True),
    sa.Column('target_participants_by', sa.Text(), nullable=True),
    sa.Column('target_phase_counts', sa.Text(), nullable=True),
    sa.Column('target_positive_outflow_pct', sa.Integer(), nullable=True),
    sa.Column('target_durable_pct', sa.Integer(), nullable=True),
    sa.Column('target_continuation_pct', sa.Integer(), nullable=True),
    sa.Column('target_appointment_pct', sa.Integer(), nullable=True),
    sa.Column('target_placements_per_municipality', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.organisation_id'], name=op.f('fk_programmes_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('programme_id', name=op.f('pk_programmes'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmes_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('enrolments',
    sa.Column('programme_id', sa.String(length=64), nullable=False),
    sa.Column('candidate_id', sa.String(length=64), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('phases', sa.Text(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('exception_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.candidate_id'], name=op.f('fk_enrolments_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.programme_id'], name=op.f('fk_enrolments_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'candidate_id', name=op.f('pk_enrolments'))
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolments_candidate_id'), ['candidate_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolments_candidate_id'))

    op.drop_table('enrolments')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_organisation_id'))

    op.drop_table('programmes')
