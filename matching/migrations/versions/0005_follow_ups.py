"""follow_ups: the date an organisation plans its next step with an employer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('follow_ups',
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('employer_id', sa.String(length=64), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('set_by', sa.String(length=64), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.employer_id'], name=op.f('fk_follow_ups_employer_id_employers')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.organisation_id'], name=op.f('fk_follow_ups_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'employer_id', name=op.f('pk_follow_ups'))
    )
    op.create_index(op.f('ix_follow_ups_employer_id'), 'follow_ups', ['employer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_follow_ups_employer_id'), table_name='follow_ups')
    op.drop_table('follow_ups')
