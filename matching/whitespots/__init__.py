"""White spots (witte vlekken): employers we have no relationship with, ranked by potential."""

from matching.whitespots.frames import WhiteSpotFilter
from matching.whitespots.potential import PotentialOptions
from matching.whitespots.ranking import (
    OccupationPotential,
    WhiteSpot,
    WhiteSpotRanking,
    rank_white_spots,
)
from matching.whitespots.status import is_white_spot, white_spot_ids

__all__ = [
    "OccupationPotential",
    "PotentialOptions",
    "WhiteSpot",
    "WhiteSpotFilter",
    "WhiteSpotRanking",
    "is_white_spot",
    "rank_white_spots",
    "white_spot_ids",
]
