"""Hand-made vocabularies of the demo region: sectors, the occupation pool, names and words.

Nothing here is personal data: surnames are the most common Dutch family names, combined at
random with sector words into synthetic company names and staff ids.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    """A sector where re-integration happens, with its SBI divisions and written forms."""

    key: str
    share: float  # share of the region's employers
    divisions: tuple[tuple[str, float], ...]  # SBI division code, weight
    names: tuple[str, ...]  # Dutch sector names a consultant writes (see matching.columns)
    parttime: bool  # vacancies mostly part-time
    words: tuple[str, ...]  # words for company names


SECTORS: tuple[Sector, ...] = (
    Sector("hospitality", 0.10, (("56", 0.8), ("55", 0.2)), ("horeca",), True,
           ("Horeca", "Eetcafé", "Restaurant", "Catering", "Brasserie", "Hotel")),
    Sector("cleaning", 0.05, (("81", 1.0),), ("schoonmaak", "facilitair"), True,
           ("Schoonmaakdiensten", "Schoonmaak", "Facilitair", "Glazenwassers", "Cleaning")),
    Sector("security", 0.02, (("80", 1.0),), ("beveiliging",), False,
           ("Beveiliging", "Security", "Bewaking")),
    Sector("care", 0.10, (("86", 0.3), ("87", 0.4), ("88", 0.3)), ("zorg", "welzijn"), True,
           ("Zorggroep", "Thuiszorg", "Zorg", "Welzijn", "Woonzorg")),
    Sector("logistics", 0.08, (("49", 0.35), ("52", 0.5), ("53", 0.15)),
           ("logistiek", "transport"), False,
           ("Logistiek", "Transport", "Distributie", "Koeriers", "Expeditie")),
    Sector("retail", 0.17, (("47", 0.85), ("46", 0.15)), ("detailhandel", "retail"), True,
           ("Supermarkt", "Bakkerij", "Mode", "Bouwmarkt", "Groenten & Fruit", "Winkels")),
    Sector("administration", 0.15,
           (("82", 0.25), ("69", 0.2), ("70", 0.15), ("84", 0.15), ("64", 0.1), ("62", 0.15)),
           (), False, ("Administratie", "Advies", "Kantoorservice", "Diensten", "Consultancy")),
    Sector("maintenance", 0.10, (("43", 0.6), ("41", 0.25), ("33", 0.15)), ("bouw",), False,
           ("Installatietechniek", "Bouw", "Onderhoud", "Bouwbedrijf", "Techniek")),
    Sector("green", 0.04, (("81", 0.6), ("01", 0.4)), ("groenvoorziening", "tuinbouw"), False,
           ("Hoveniers", "Groenvoorziening", "Kwekerij", "Tuinen", "Bloembollen")),
    Sector("production", 0.07, (("10", 0.4), ("22", 0.2), ("25", 0.25), ("28", 0.15)),
           ("productie", "industrie"), False,
           ("Productie", "Metaal", "Kunststoffen", "Voedingsmiddelen", "Industrie")),
    Sector("other", 0.12,
           (("85", 0.2), ("93", 0.15), ("96", 0.15), ("68", 0.15), ("78", 0.2), ("71", 0.15)),
           (), False, ("Groep", "Diensten", "Holding", "Services", "Sport")),
)  # fmt: skip
SECTOR_KEYS: tuple[str, ...] = tuple(sector.key for sector in SECTORS)
# Occupations a vacancy at a sector's employer may be for, besides the sector's own.
CROSS_SECTOR_KEYS: tuple[str, ...] = ("cleaning", "administration", "logistics", "maintenance")
CROSS_SECTOR_SHARE = 0.25


@dataclass(frozen=True)
class PoolEntry:
    """ESCO occupations of one ISCO group in the pool (all of the group when labels is empty)."""

    isco_group: str
    sector: str
    weight: float  # relative frequency in work histories and vacancies
    labels_en: tuple[str, ...] = ()


OCCUPATION_POOL: tuple[PoolEntry, ...] = (
    PoolEntry("5120", "hospitality", 4, ("cook", "grill cook")),
    PoolEntry("9412", "hospitality", 5),
    PoolEntry("5131", "hospitality", 4, ("waiter/waitress", "restaurant host/restaurant hostess")),
    PoolEntry("9411", "hospitality", 3, ("quick service restaurant crew member",)),
    PoolEntry("9112", "cleaning", 10,
              ("building cleaner", "room attendant", "train cleaner", "toilet attendant")),
    PoolEntry("9111", "cleaning", 3),
    PoolEntry("9122", "cleaning", 1),
    PoolEntry("5153", "cleaning", 1, ("building caretaker",)),
    PoolEntry("5414", "security", 4, ("security guard", "door supervisor", "gate guard",
                                      "hospitality establishment security officer")),
    PoolEntry("5322", "care", 4),
    PoolEntry("5321", "care", 3),
    PoolEntry("5162", "care", 1),
    PoolEntry("9333", "logistics", 10,
              ("warehouse worker", "warehouse order picker", "materials handler", "mover")),
    PoolEntry("4321", "logistics", 1, ("inventory coordinator",)),
    PoolEntry("8344", "logistics", 3),
    PoolEntry("8322", "logistics", 3,
              ("car and van delivery driver", "taxi driver", "patient transport services driver")),
    PoolEntry("9321", "logistics", 3, ("hand packer",)),
    PoolEntry("8332", "logistics", 1, ("cargo vehicle driver", "refuse vehicle driver")),
    PoolEntry("5223", "retail", 6, ("shop assistant", "clothing specialised seller",
                                    "bakery specialised seller",
                                    "fruit and vegetables specialised seller")),
    PoolEntry("5230", "retail", 4, ("cashier",)),
    PoolEntry("4110", "administration", 3),
    PoolEntry("4222", "administration", 2),
    PoolEntry("7126", "maintenance", 1.5, ("plumber", "bathroom fitter", "heating technician")),
    PoolEntry("7115", "maintenance", 1, ("carpenter", "kitchen unit installer")),
    PoolEntry("7131", "maintenance", 1, ("construction painter",)),
    PoolEntry("9313", "maintenance", 1.5),
    PoolEntry("9214", "green", 3),
    PoolEntry("6113", "green", 1.5, ("groundsman/groundswoman", "landscape gardener")),
    PoolEntry("9329", "production", 5, ("factory hand",)),
    PoolEntry("8160", "production", 1.5,
              ("baking operator", "pasta operator", "chilling operator")),
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "De Jong", "Jansen", "De Vries", "Van den Berg", "Van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "De Boer", "Mulder", "De Groot", "Bos", "Vos", "Peters", "Hendriks",
    "Van Leeuwen", "Dekker", "Brouwer", "De Wit", "Dijkstra", "Smits", "De Graaf",
    "Van der Meer", "Van der Linden", "Kok", "Jacobs", "De Haan", "Vermeulen", "Van den Heuvel",
    "Van der Veen", "Van den Broek", "De Bruijn", "De Bruin", "Van der Heijden", "Schouten",
    "Van Beek", "Willems", "Van Vliet", "Van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
    "Van Dam", "Prins", "Blom", "Huisman", "Peeters", "Kuipers", "Van Wijk", "Post", "Kuiper",
    "Veenstra", "Kramer", "Van den Brink", "Scholten", "Van Wijngaarden", "Martens", "Yilmaz",
    "El Amrani", "Öztürk", "Kaya", "Bouzid", "Nguyen", "Pinas", "Vink", "Groen", "Timmermans",
)  # fmt: skip
FANCY_NAMES: tuple[str, ...] = (
    "De Gouden Leeuw", "Het Anker", "De Zwaan", "De Linde", "Rijnzicht", "Duinzicht",
    "Het Wapen", "De Molen", "Polderhof", "Het Baken", "De Eendracht", "Zonnehof", "Vitaal",
    "Koers", "Horizon", "Kompas", "Welkom", "Netjes", "Stralend", "Groenrijk", "Vakwerk",
)  # fmt: skip
LEGAL_FORMS: tuple[tuple[str, float], ...] = (
    (" B.V.", 0.45),
    ("", 0.35),
    (" V.O.F.", 0.1),
    (" Holding B.V.", 0.03),
    (" & Zn.", 0.07),
)
STAFF_SURNAMES: tuple[str, ...] = (
    "jansen", "devries", "bakker", "visser", "smit", "mulder", "bos", "dekker", "elhaddad",
    "yilmaz", "vandam", "kok", "prins", "meijer", "hoekstra", "vermeulen",
)  # fmt: skip

# Noise words of real Dutch vacancy titles.
TITLE_PREFIXES: tuple[tuple[str, float], ...] = (
    ("", 0.70), ("allround ", 0.08), ("junior ", 0.06), ("leerling ", 0.05), ("ervaren ", 0.05),
    ("zelfstandig ", 0.03), ("parttime ", 0.03),
)  # fmt: skip
TITLE_SUFFIXES: tuple[tuple[str, float], ...] = (
    ("", 0.35), (" (m/v)", 0.15), (" (m/v/x)", 0.15), (" {hours} uur", 0.12),
    (" {place}", 0.08), (" - {place}", 0.05), (" (m/v) {hours} uur", 0.05),
    (" parttime", 0.025), (" fulltime", 0.025),
)  # fmt: skip
