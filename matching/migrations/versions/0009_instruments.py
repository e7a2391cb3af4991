"""instruments: instruments.csv, instrument rules, trainings, aftercare; contacts.supply_driven

Revision ID: 0009
Revises: 0008 (programmes; rechained when the programmes branch merged main)
Create Date: 2026-12-03 13:56:08.282506
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('instrument_rules',
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('rule_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.organisation_id'], name=op.f('fk_instrument_rules_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'rule_id', name=op.f('pk_instrument_rules'))
    )
    op.create_table('trainings',
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('training_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=True),
    sa.Column('duration_days', sa.Integer(), nullable=True),
    sa.Column('cost', sa.Integer(), nullable=True),
    sa.Column('skills', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.organisation_id'], name=op.f('fk_trainings_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'training_id', name=op.f('pk_trainings'))
    )
    op.create_table('aftercare_baselines',
    sa.Column('placement_id', sa.String(length=64), nullable=False),
    sa.Column('p_durable', sa.Float(), nullable=True),
    sa.Column('model_version', sa.String(length=100), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.placement_id'], name=op.f('fk_aftercare_baselines_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('placement_id', name=op.f('pk_aftercare_baselines'))
    )
    op.create_table('aftercare_checks',
    sa.Column('check_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('placement_id', sa.String(length=64), nullable=False),
    sa.Column('checkpoint', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('by', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.placement_id'], name=op.f('fk_aftercare_checks_placement_id_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('check_id', name=op.f('pk_aftercare_checks'))
    )
    with op.batch_alter_table('aftercare_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftercare_checks_placement_id'), ['placement_id'], unique=False)

    op.create_table('instruments',
    sa.Column('instrument_id', sa.String(length=64), nullable=False),
    sa.Column('placement_id', sa.String(length=64), nullable=True),
    sa.Column('vacancy_id', sa.String(length=64), nullable=True),
    sa.Column('candidate_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.candidate_id'], name=op.f('fk_instruments_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.placement_id'], name=op.f('fk_instruments_placement_id_placements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.vacancy_id'], name=op.f('fk_instruments_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('instrument_id', name=op.f('pk_instruments'))
    )
    with op.batch_alter_table('instruments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instruments_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_instruments_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_instruments_vacancy_id'), ['vacancy_id'], unique=False)

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supply_driven', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('supply_driven')

    with op.batch_alter_table('instruments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instruments_vacancy_id'))
        batch_op.drop_index(batch_op.f('ix_instruments_placement_id'))
        batch_op.drop_index(batch_op.f('ix_instruments_candidate_id'))

    op.drop_table('instruments')
    with op.batch_alter_table('aftercare_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftercare_checks_placement_id'))

    op.drop_table('aftercare_checks')
    op.drop_table('aftercare_baselines')
    op.drop_table('trainings')
    op.drop_table('instrument_rules')
