"""vum: the verbatim VUM documents of imported job seekers and vacancies

Revision ID: 0007
Revises: 0005 (becomes 0006 when merged after the review branch's 0006)
Create Date: 2026-12-03 12:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('candidate_vum',
    sa.Column('candidate_id', sa.String(length=64), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.candidate_id'], name=op.f('fk_candidate_vum_candidate_id_candidates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('candidate_id', name=op.f('pk_candidate_vum'))
    )
    op.create_table('vacancy_vum',
    sa.Column('vacancy_id', sa.String(length=64), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.vacancy_id'], name=op.f('fk_vacancy_vum_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vacancy_id', name=op.f('pk_vacancy_vum'))
    )


def downgrade() -> None:
    op.drop_table('vacancy_vum')
    op.drop_table('candidate_vum')
