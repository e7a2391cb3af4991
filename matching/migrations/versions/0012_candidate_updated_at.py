"""candidates.updated_at: when a candidate or a row the matching pool reads through it last changed

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:40:00

The database keeps the column, by triggers, so that every write path keeps it (imports, VUM
imports, erasure, placements, synonym and crosswalk decisions, pages, raw SQL alike): an
insert or update of a candidate, and an insert, update or delete of one of its competences,
occupations or placements, sets the candidate's ``updated_at`` to the database's clock, and
always to a value other than the one before (the next microsecond on PostgreSQL, millisecond
on SQLite, when the clock has not moved on). A region context compares these stamps with those
it loaded and reloads only the candidates whose stamp moved (``matching.shortlist.refresh``).

PostgreSQL: a row trigger on ``candidates`` and statement triggers with transition tables on
the child tables (one ``UPDATE`` of the touched candidates per statement, however many rows).
SQLite: row triggers (SQLite has no statement triggers).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from matching.store.access import UtcDateTime


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILDREN = ('candidate_competences', 'candidate_occupations', 'placements')
EPOCH = '1970-01-01 00:00:00.000000'

SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"


def _sqlite_next(column: str) -> str:
    """Now, or a millisecond after ``column`` when the clock has not moved past it."""
    later = f"strftime('%Y-%m-%d %H:%M:%f', {column}, '+0.001 seconds') || '000'"
    return f'max({SQLITE_NOW}, {later})'


def _sqlite_triggers() -> list[str]:
    touch = 'UPDATE candidates SET updated_at = {} WHERE candidate_id {};'
    out = [
        'CREATE TRIGGER candidates_stamp_insert AFTER INSERT ON candidates BEGIN '
        + touch.format(SQLITE_NOW, '= NEW.candidate_id') + ' END',
        # only when the statement did not set the stamp itself (a child's trigger did)
        'CREATE TRIGGER candidates_stamp_update AFTER UPDATE ON candidates '
        'WHEN NEW.updated_at IS OLD.updated_at BEGIN '
        + touch.format(_sqlite_next('updated_at'), '= NEW.candidate_id') + ' END',
    ]
    for child in CHILDREN:
        for event, ids in (
            ('INSERT', '= NEW.candidate_id'),
            ('UPDATE', 'IN (OLD.candidate_id, NEW.candidate_id)'),
            ('DELETE', '= OLD.candidate_id'),
        ):
            out.append(
                f'CREATE TRIGGER {child}_stamp_{event.lower()} AFTER {event} ON {child} BEGIN '
                + touch.format(_sqlite_next('updated_at'), ids) + ' END'
            )
    return out


POSTGRES_FUNCTIONS = [
    """CREATE FUNCTION candidates_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := greatest(clock_timestamp(), OLD.updated_at + interval '1 microsecond');
    RETURN NEW;
END $$""",
    # a candidate this transaction wrote already (xmin: its id) has a new stamp: an import
    # writing candidates and then their competences updates no candidate twice
    """CREATE FUNCTION candidate_children_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE candidates SET updated_at = clock_timestamp()
        WHERE candidate_id IN (SELECT candidate_id FROM new_rows)
          AND xmin::text <> (txid_current() % 4294967296)::text;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE candidates SET updated_at = clock_timestamp()
        WHERE candidate_id IN (SELECT candidate_id FROM old_rows)
          AND xmin::text <> (txid_current() % 4294967296)::text;
    END IF;
    RETURN NULL;
END $$""",
]


def _postgres_triggers() -> list[str]:
    out = [
        'CREATE TRIGGER candidates_stamp BEFORE UPDATE ON candidates '
        'FOR EACH ROW EXECUTE FUNCTION candidates_stamp()',
    ]
    for child in CHILDREN:
        for event, tables in (
            ('INSERT', 'NEW TABLE AS new_rows'),
            ('UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
            ('DELETE', 'OLD TABLE AS old_rows'),
        ):
            out.append(
                f'CREATE TRIGGER {child}_stamp_{event.lower()} AFTER {event} ON {child} '
                f'REFERENCING {tables} FOR EACH STATEMENT '
                'EXECUTE FUNCTION candidate_children_stamp()'
            )
    return out


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    # SQLite adds columns with constant defaults only: existing rows get the epoch, and the
    # insert trigger stamps new rows
    default = sa.text('now()') if postgres else sa.text(f"'{EPOCH}'")
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('updated_at', UtcDateTime(timezone=True), server_default=default,
                      nullable=False)
        )
        batch_op.create_index(batch_op.f('ix_candidates_updated_at'), ['updated_at'], unique=False)
    for statement in (POSTGRES_FUNCTIONS + _postgres_triggers()) if postgres else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    names = ['candidates_stamp'] if postgres else ['candidates_stamp_insert', 'candidates_stamp_update']
    for child in CHILDREN:
        for event in ('insert', 'update', 'delete'):
            names.append(f'{child}_stamp_{event}')
    for name in names:
        table = 'candidates' if name.startswith('candidates_') else name.rsplit('_stamp_', 1)[0]
        op.execute(f'DROP TRIGGER IF EXISTS {name} ON {table}' if postgres else f'DROP TRIGGER IF EXISTS {name}')
    if postgres:
        op.execute('DROP FUNCTION IF EXISTS candidate_children_stamp()')
        op.execute('DROP FUNCTION IF EXISTS candidates_stamp()')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_updated_at'))
        batch_op.drop_column('updated_at')
