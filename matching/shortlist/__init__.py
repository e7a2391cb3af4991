"""Shortlists for account managers: filters, explained ranking, fallback, proposals."""

from matching.data_versions import bump_data_version, data_version
from matching.shortlist.context import MatchingCache, MatchingContext, load_context
from matching.shortlist.filters import FILTERS
from matching.shortlist.policy import FallbackPolicy, policy_for, set_policy
from matching.shortlist.ranking import Shortlist, ShortlistEntry, rank_vacancy
from matching.shortlist.service import all_open_shortlists, vacancy_shortlist

__all__ = [
    "FILTERS",
    "FallbackPolicy",
    "MatchingCache",
    "MatchingContext",
    "Shortlist",
    "ShortlistEntry",
    "all_open_shortlists",
    "bump_data_version",
    "data_version",
    "load_context",
    "policy_for",
    "rank_vacancy",
    "set_policy",
    "vacancy_shortlist",
]
