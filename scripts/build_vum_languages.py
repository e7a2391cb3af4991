"""Build ``matching/vum/iso639.csv``: ISO 639-3 codes that have an ISO 639-1 code.

    .venv/bin/python scripts/build_vum_languages.py [--source FILE]

(default FILE: /usr/share/iso-codes/json/iso_639-3.json).

VUM writes languages as ISO 639-3 (``nld``), the exchange format as ISO 639-1 (``nl``). The
pairs come from Debian's ``iso-codes`` package (LGPL-2.1+, data of the ISO 639-3
registration authority SIL International); see ``matching/vum/ATTRIBUTION.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

SOURCE = Path("/usr/share/iso-codes/json/iso_639-3.json")
OUT = Path(__file__).parents[1] / "matching" / "vum" / "iso639.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args()
    entries = json.loads(args.source.read_text(encoding="utf-8"))["639-3"]
    pairs = sorted((e["alpha_3"], e["alpha_2"], e["name"]) for e in entries if e.get("alpha_2"))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alpha_3", "alpha_2", "name"])
        writer.writerows(pairs)
    print(f"{OUT}: {len(pairs)} languages")


if __name__ == "__main__":
    main()
