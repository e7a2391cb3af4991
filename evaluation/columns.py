"""Column names the evaluation reads and writes, in one place.

Input names are the exchange-format names (equal to the store's attribute names); candidate
attributes are joined onto placements under their own names (``target_group``, ``ladder_step``,
``municipality_code`` = the candidate's municipality). Derived names are added by this package.
"""

from __future__ import annotations

# exchange format: placements.csv
PLACEMENT_ID = "placement_id"
CANDIDATE_ID = "candidate_id"
EMPLOYER_ID = "employer_id"
VACANCY_ID = "vacancy_id"
START_DATE = "start_date"
END_DATE = "end_date"
HOURS_PER_WEEK = "hours_per_week"
CONTRACT = "contract"

# exchange format: contacts.csv and vacancies.csv
DATE = "date"
KIND = "kind"
OUTCOME = "outcome"
OPENED_ON = "opened_on"

# candidate attributes joined in by the caller
MUNICIPALITY_CODE = "municipality_code"
TARGET_GROUP = "target_group"
LADDER_STEP = "ladder_step"
GENDER = "gender"
BIRTH_YEAR = "birth_year"
# place of work: the vacancy's municipality, or the employer's when there is no vacancy
WORK_MUNICIPALITY_CODE = "work_municipality_code"

# derived
RUNNING = "running"
DURABLE = "durable"
PENDING = "pending"
FAILED = "failed"
POSITIVE_OUTFLOW = "positive_outflow"
OUTFLOW_PENDING = "outflow_pending"
PERIOD = "period"
ORIGIN = "origin"
AGE_BAND = "age_band"
