"""The documented prior: which occupations an employer of an SBI section typically hires.

Used where the store holds no vacancies to learn from (and as the anchor the learned shares
shrink towards). Each SBI 2008 section lists the ISCO-08 unit groups through which people on
social assistance most often enter work in that sector, with a weight, and for each group one
representative ESCO occupation (by its ESCO code) that stands in for the group when potential
is scored. The reasoning:

* the entries are the entry-level, mostly MBO 1–2 jobs of the *kansrijke branches* that
  Dutch WSPs and UWV name for re-integration (hospitality, cleaning and facility services,
  security, care, logistics, retail, production, green maintenance, construction labour);
* within a section, the first group is the most common entry job (kitchen help in hospitality,
  building cleaning in facility services, personal care in care), hence the largest weight;
* sections where re-integration rarely happens directly (finance, ICT, public administration)
  get the generic entry jobs every organisation has: office clerk, contact centre, cleaning;
* weights are relative within a section (they are normalised to shares); they are a modest
  starting point, and the vacancies in the store overrule them as soon as there are some.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PriorEntry:
    """One typical ISCO group of a section, its ESCO stand-in occupation and its weight."""

    isco_group: str
    esco_code: str
    weight: float


def _e(isco_group: str, esco_code: str, weight: float) -> PriorEntry:
    return PriorEntry(isco_group, esco_code, weight)


SECTION_PRIOR: dict[str, tuple[PriorEntry, ...]] = {
    # A agriculture, horticulture (bulb fields of the region): pickers, garden/horticulture help
    "A": (_e("9211", "9211.1", 3), _e("9214", "9214.2", 3), _e("9329", "9329.1", 1)),
    "B": (_e("9311", "9311.1", 2), _e("8332", "8332.2", 1)),  # mining: labourers, drivers
    # C manufacturing: production workers, hand packers, food machine operators
    "C": (_e("9329", "9329.1", 5), _e("9321", "9321.2", 2), _e("8160", "8160.1", 1)),
    "D": (_e("7411", "7411.1", 1), _e("4110", "4110.1", 1)),  # energy: installers, office
    # E water and waste: refuse sorters, collectors, truck drivers
    "E": (_e("9612", "9612.2", 3), _e("9611", "9611.1", 2), _e("8332", "8332.2", 1)),
    # F construction: construction labourers, painters, warehouse
    "F": (_e("9313", "9313.1", 3), _e("7131", "7131.1", 1), _e("9333", "9333.8", 1)),
    # G trade: shop assistants, cashiers, stock clerks
    "G": (_e("5223", "5223.6", 4), _e("5230", "5230.1", 2), _e("4321", "4321.1", 1)),
    # H transport and storage: warehouse workers, van drivers, stock clerks
    "H": (_e("9333", "9333.8", 4), _e("8322", "8322.2", 2), _e("4321", "4321.1", 1)),
    # I hospitality: cooks, kitchen helpers, waiters
    "I": (_e("5120", "5120.1", 3), _e("9412", "9412.1", 4), _e("5131", "5131.2", 3)),
    "J": (_e("4222", "4222.1", 2), _e("4110", "4110.1", 1)),  # ICT: contact centre, office
    "K": (_e("4110", "4110.1", 2), _e("4311", "4311.1", 1)),  # finance: office, billing
    "L": (_e("5153", "5153.1", 2), _e("9112", "9112.2", 1)),  # real estate: caretakers
    # M professional services: office clerks, secretaries, cleaning
    "M": (_e("4110", "4110.1", 2), _e("4120", "4120.1", 1), _e("9112", "9112.2", 1)),
    # N support services (cleaning 81, security 80, staffing 78): cleaners, guards, gardeners
    "N": (_e("9112", "9112.2", 5), _e("5414", "5414.1", 3), _e("9214", "9214.1", 1)),
    # O public administration: office clerks, street sweepers, gardeners
    "O": (_e("4110", "4110.1", 2), _e("9613", "9613.1", 1), _e("9214", "9214.1", 1)),
    # P education: teaching assistants, caretakers, cleaners
    "P": (_e("5312", "5312.1", 2), _e("5153", "5153.1", 1), _e("9112", "9112.2", 1)),
    # Q care and welfare: personal care at home, care assistants, domestic help
    "Q": (_e("5322", "5322.1", 4), _e("5321", "5321.1", 3), _e("9111", "9111.1", 2)),
    # R culture, sport, recreation: ticket sellers, cleaners, security
    "R": (_e("5230", "5230.3", 2), _e("9112", "9112.2", 2), _e("5414", "5414.1", 1)),
    # S other services: hairdressers, laundry, cleaners
    "S": (_e("5141", "5141.1", 2), _e("9121", "9121.1", 2), _e("9112", "9112.2", 1)),
    "T": (_e("9111", "9111.1", 1),),  # households as employers: domestic cleaners
    "U": (_e("4110", "4110.1", 1), _e("9112", "9112.2", 1)),  # extraterritorial bodies
}
"""SBI section → typical ISCO groups for re-integration work (reasoning in the module doc)."""

DEFAULT_PRIOR: tuple[PriorEntry, ...] = (
    _e("9112", "9112.2", 3), _e("9333", "9333.8", 2), _e("5223", "5223.6", 2),
    _e("9412", "9412.1", 2), _e("4110", "4110.1", 1),
)  # fmt: skip
"""For an employer without an SBI code: the most common entry jobs across the sectors."""
