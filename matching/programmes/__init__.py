"""Programmes and trajectories: rules as data, eligibility with reasons, enrolment, phases.

The progress against a programme's targets is measured in ``evaluation.programmes`` (with the
placement definitions of ``evaluation.placements``).
"""

from matching.programmes.actions import change_phase, end_trajectory, enrol
from matching.programmes.catalogue import get_programme, list_programmes, participant_ids
from matching.programmes.reasons import Miss
from matching.programmes.rules import Phase, ProgrammeInfo, Rules, Targets, add_months
from matching.programmes.trajectories import OUTCOME_NL, Trajectory, load_trajectories
from matching.programmes.worklist import Worklist, check_candidate, worklist

__all__ = [
    "OUTCOME_NL",
    "Miss",
    "Phase",
    "ProgrammeInfo",
    "Rules",
    "Targets",
    "Trajectory",
    "Worklist",
    "add_months",
    "change_phase",
    "check_candidate",
    "end_trajectory",
    "enrol",
    "get_programme",
    "list_programmes",
    "load_trajectories",
    "participant_ids",
    "worklist",
]
