"""The acquisition funnel: employers contacted → appointment → vacancy → placement.

Every stage counts distinct employers among those in ``contacts`` (the caller chooses the window
by filtering the contacts). For an employer, *first contact* is its earliest contact date.
``STAGES`` are in funnel order and nested: each stage counts the employers that got at least
that far, so no stage counts more employers than the one before it.

* ``contacted``: at least one contact of any kind (letters included) — the acquisition base;
* ``appointment``: a contact with outcome ``appointment`` or of kind ``visit`` or ``meeting``,
  or an employer that got further (a vacancy after a phone call counts: it passed this stage);
* ``vacancy``: a contact with outcome ``vacancy``, or a vacancy of the employer opened on or
  after its first contact;
* ``placement``: a ``vacancy`` employer with a placement that started on or after its first
  contact; ``placements`` counts those placements.

``written`` (at least one contact of kind ``letter``) is no stage but a part of ``contacted``:
the employers approached by letter or e-mail. ``COUNTS`` lists the count columns in the order
they are shown: the base, its written part, then the later stages. Each conversion is a share
in [0, 1]: ``written_share``, ``appointment_share`` and ``vacancy_share`` of contacted
employers, and ``placement_share`` of vacancy employers.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from evaluation import columns as c
from evaluation.placements import add_period

STAGES = ("contacted", "appointment", "vacancy", "placement")
"""The funnel's stages in funnel order; each is a subset of the one before (module doc)."""
WRITTEN = "written"
COUNTS = ("contacted", WRITTEN, "appointment", "vacancy", "placement")
"""The count columns in the order they are shown: the base, its written part, the stages."""
SHARES = ("written_share", "appointment_share", "vacancy_share", "placement_share")
FIRST_CONTACT = "first_contact"


def _any_after(events: pd.DataFrame, date: str, first: pd.Series) -> pd.Series:
    """Per employer: how many ``events`` happened on or after its first contact."""
    dated = events.assign(**{date: pd.to_datetime(events[date])})
    # reset_index: joining an empty frame keeps the right's index (named employer_id)
    joined = dated.join(first, on=c.EMPLOYER_ID, how="inner").reset_index(drop=True)
    after = joined.loc[joined[date] >= joined[FIRST_CONTACT]]
    return after.groupby(c.EMPLOYER_ID).size().reindex(first.index, fill_value=0)


def employer_steps(
    contacts: pd.DataFrame, vacancies: pd.DataFrame, placements: pd.DataFrame
) -> pd.DataFrame:
    """One row per contacted employer: ``first_contact``, a flag per count and ``placements``."""
    con = contacts.assign(**{c.DATE: pd.to_datetime(contacts[c.DATE])})
    kind, outcome = con[c.KIND], con[c.OUTCOME]
    flags = pd.DataFrame(
        {
            c.EMPLOYER_ID: con[c.EMPLOYER_ID],
            "written": kind == "letter",
            "appointment": (outcome == "appointment") | kind.isin(("visit", "meeting")),
            "vacancy": outcome == "vacancy",
        }
    )
    steps = flags.groupby(c.EMPLOYER_ID).any()
    first = con.groupby(c.EMPLOYER_ID)[c.DATE].min().rename(FIRST_CONTACT)
    opened = _any_after(vacancies, c.OPENED_ON, first) > 0
    vacancy = steps["vacancy"] | opened
    placed = _any_after(placements, c.START_DATE, first).where(vacancy, 0)
    steps = steps.assign(
        contacted=True,
        appointment=steps["appointment"] | vacancy,  # nested: a vacancy passed this stage
        vacancy=vacancy,
        placement=placed > 0,
        placements=placed,
    )
    return pd.concat([first, steps.loc[:, [*COUNTS, "placements"]]], axis=1)


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    """Add the conversion shares (NaN where the base is 0)."""
    contacted = table["contacted"].where(table["contacted"] > 0)
    vacancy = table["vacancy"].where(table["vacancy"] > 0)
    return table.assign(
        written_share=table["written"] / contacted,
        appointment_share=table["appointment"] / contacted,
        vacancy_share=table["vacancy"] / contacted,
        placement_share=table["placement"] / vacancy,
    )


def funnel(
    contacts: pd.DataFrame,
    vacancies: pd.DataFrame,
    placements: pd.DataFrame,
    *,
    by: Sequence[str] | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """Funnel counts and conversion shares, in total or per group (rules in the module doc).

    ``contacts``, ``vacancies`` and ``placements`` have their exchange-format columns. ``by``
    names columns of ``contacts`` (e.g. employer attributes the caller joined in, such as a
    ``white_spot`` flag); an employer takes the first non-missing value in date order.
    ``period`` ``"M"`` or ``"Q"`` groups employers by the month or quarter of their first contact.
    Columns: group columns, the five ``COUNTS``, ``placements``, and the four shares in [0, 1].

    >>> contacts = pd.DataFrame({"contact_id": ["1", "2", "3"], "employer_id": ["A", "A", "B"],
    ...     "date": ["2024-01-05", "2024-01-20", "2024-02-01"], "kind": ["letter", "visit", "call"],
    ...     "outcome": ["none", "vacancy", "no_interest"]})
    >>> vacancies = pd.DataFrame({"employer_id": ["A"], "opened_on": ["2024-01-20"]})
    >>> placements = pd.DataFrame({"employer_id": ["A"], "start_date": ["2024-03-01"]})
    >>> funnel(contacts, vacancies, placements)[list(COUNTS)].to_numpy().tolist()
    [[2, 1, 1, 1, 1]]
    """
    keys = list(by or [])
    steps = employer_steps(contacts, vacancies, placements)
    if keys:
        dated = contacts.assign(**{c.DATE: pd.to_datetime(contacts[c.DATE])})
        first_rows = dated.sort_values(c.DATE, kind="stable").groupby(c.EMPLOYER_ID)
        steps = steps.join(first_rows[keys].first())
    if period is not None:
        steps = add_period(steps, freq=period, column=FIRST_CONTACT)
        keys.append(c.PERIOD)
    counts = steps.loc[:, [*keys, *COUNTS, "placements"]].astype({s: "int64" for s in COUNTS})
    if keys:
        table = counts.groupby(keys, dropna=False, sort=True).sum().reset_index()
    else:
        table = pd.DataFrame([counts.sum().to_dict()])
    return _shares(table)
