"""The report as an ordered list of sections (Dutch headings) for the HTML and Markdown writers."""

from __future__ import annotations

from evaluation.layout import RANKERS, Chart, Section, Table, table, totals_table
from evaluation.programme_report import programme_sections
from evaluation.ranking_quality import CALIBRATED
from evaluation.report import Report
from matching import dutch

GROUP_TITLES = {
    "origin": "Eigen gemeente of terugval",
    "target_group": "Doelgroep",
    "ladder_step": "Trede",
    "municipality": "Gemeente (woonplaats van de werkzoekende)",
    "contract": "Contract",
    "month": "Per maand (startdatum)",
}


def summary(report: Report) -> Section:
    """Period, dates and the headline numbers."""
    t = report.placements.totals
    lines = [
        f"Periode {report.period} · peildatum {dutch.long_date(report.as_of)} · projectstart "
        f"{dutch.long_date(report.start)} · opgesteld in {dutch.number(report.seconds, 1)} s.",
        f"{t['placements']} plaatsingen: {t['own']} eigen gemeente, {t['fallback']} terugval "
        f"(andere gemeente dan de vacature); {t['durable']} duurzaam, {t['pending']} lopend "
        f"(nog niet beslist, telt niet als mislukt), {t['failed']} voortijdig beëindigd; "
        f"{t['positive_outflow']} positieve uitstroom.",
    ]
    return Section("Samenvatting", [*lines])


def placements(report: Report) -> list[Section]:
    """Plaatsingen, Duurzaam, Positieve uitstroom and the tables per group."""
    p, names = report.placements, report.municipalities
    out = [
        Section(
            "Plaatsingen",
            [
                "Duurzaam: minstens 6 maanden + 1 dag. Lopend: gestart minder dan 6 maanden + 1 "
                "dag vóór de peildatum en nog niet beëindigd. Positieve uitstroom: regulier of "
                "gesubsidieerd werk van minstens 16 uur per week dat minstens 6 maanden duurde.",
                totals_table(p.totals),
                Chart("plaatsingen_per_maand", "Plaatsingen per maand"),
                Chart("plaatsingen_per_doelgroep", "Plaatsingen per doelgroep"),
            ],
        )
    ]
    for name, title in GROUP_TITLES.items():
        out.append(Section(title, [table(p.tables[name], names)], level=3))
    out.append(
        Section(
            "Gemeente: eigen werkzoekenden en plaatsingen via andere gemeenten",
            [table(p.municipalities, names)],
            level=3,
        )
    )
    out.append(
        Section(
            "Na 1, 3 en 11 maanden en na een jaar",
            [
                f"Plaatsingen gestart sinds {dutch.long_date(report.start)}, zoals bekend op elke "
                "peildatum (niet bereikte peildatums blijven leeg).",
                table(p.checkpoints.drop(columns=["as_of"], errors="ignore")),
                "Nog bij de werkgever (na 1, 3, 11 en 12 maanden):",
                table(p.retention),
            ],
        )
    )
    return out


def acquisition(report: Report) -> Section:
    """Acquisitiefunnel: totals, white spots, checkpoints."""
    f = report.funnel
    return Section(
        "Acquisitiefunnel",
        [
            "Benaderd → afspraak → vacature → plaatsing, in werkgevers met een eerste contact "
            "in de periode. Elke stap telt de werkgevers die minstens zo ver kwamen (een vacature "
            "na een telefoontje telt ook als afspraak); 'waarvan aangeschreven' zijn de "
            "benaderde werkgevers die een brief of e-mail kregen.",
            totals_table(f.totals),
            Chart("acquisitiefunnel", "Acquisitiefunnel"),
            f"Witte vlekken (vóór de periode zonder contact, vacature of plaatsing): "
            f"{f.white_spots_contacted} benaderd, bij {f.white_spots_placed} is iemand geplaatst.",
            table(f.by_white_spot),
            f"Aanbodgericht benaderd, met een werkzoekende in gedachten ('met het cv onder de "
            f"arm'): {f.supply_driven_contacts} contacten; de funnel over alleen die contacten:",
            totals_table(f.supply_driven),
            "Na 1, 3 en 11 maanden:",
            table(f.checkpoints),
        ],
    )


def ranking(report: Report) -> Section | None:
    """Rankingkwaliteit: the backtest."""
    r = report.ranking
    if r is None:
        return None
    cal = r.calibration
    lines: list[str | Table | Chart] = [
        f"Temporele backtest: {r.vacancies} vacatures geopend in de periode, waarvan {r.filled} "
        "vervuld. Per vacature is de shortlist opnieuw opgebouwd zoals werkmatch die op de "
        "openingsdatum had gemaakt, met een model dat alleen gegevens van vóór de snijdatum zag; "
        "ter vergelijking: de beginweging en een rangschikking op alleen overlap van "
        "vaardigheden. "
        "Raak in top k en MRR: de aangenomen kandidaat; NDCG: duurzame plaatsing als winst. Een "
        "aangenomen kandidaat die niet op de lijst kon staan telt als misser.",
        table(r.metrics),
        Chart("rankingkwaliteit", "Rankingkwaliteit"),
        "Waarom aangenomen kandidaten niet op de lijst stonden:",
        table(r.reasons),
        "Model per snijdatum:",
        table(r.models),
        "Kalibratie van de kans op duurzame plaatsing (de kans dat een plaatsing minstens 6 "
        f"maanden en 1 dag duurt) over {cal['placements']} plaatsingen met bekende uitkomst "
        f"({cal['durable']} duurzaam). De getoonde kans is bewust lager dan de duur van deze "
        "plaatsingen: werkgevers kozen ze ook om wat niet in het dossier staat, de kandidaten "
        "op een nieuwe lijst zijn niet zo gekozen. Daarom telt ook werkmatch op het niveau van "
        "de plaatsingen (dezelfde volgorde). 'Ruis' is de ECE die een precies kloppende kans "
        "op zo weinig plaatsingen gemiddeld al laat zien.",
    ]
    for name in CALIBRATED:
        if cal.get(name):
            s = cal[name]
            brier, ece, noise = (dutch.number(s[k], 3) for k in ("brier", "ece", "noise"))
            mean, seen = (dutch.percent(s[k]) for k in ("mean_p", "observed"))
            lines.append(
                f"{RANKERS[name]}: gemiddeld {mean} voorspeld, {seen} duurzaam; "
                f"Brier {brier}, ECE {ece} (ruis {noise})."
            )
    if cal.get("werkmatch"):
        lines.append(Chart("kalibratie", "Kalibratie (voorspelde tegen waargenomen kans)"))
    lines += [
        "Blootstelling (hoe vaak kandidaten op lijsten of voorstellen staan):",
        table(r.exposure),
    ]
    return Section("Rankingkwaliteit", lines)


def fairness(report: Report) -> list[Section]:
    """Eerlijkheid: four-fifths summaries, selection, calibration and scores per group."""
    fr = report.fairness
    if fr is None:
        return []
    out = [
        Section(
            "Eerlijkheid",
            [
                "Geslacht en leeftijd worden alleen hier gelezen en tellen nooit mee in een score. "
                "Selectiekans = aandeel van de (vacature, geschikte kandidaat)-paren dat op de "
                "shortlist (top k) kwam, of dat echt werd voorgesteld. Vier-vijfde-regel: laagste "
                f"gedeeld door hoogste groep; gemarkeerd onder 0,8 (groepen kleiner dan "
                f"{fr.min_count} tellen niet mee).",
            ],
        )
    ]
    for kind, title in (("shortlists", "Shortlists"), ("proposals", "Voorstellen")):
        if kind in fr.selection:
            out.append(
                Section(
                    f"Selectie in {title.lower()}",
                    [
                        table(fr.four_fifths[kind]),
                        table(fr.selection[kind]),
                        Chart(f"selectie_{kind}", f"Selectiekans per groep ({title.lower()})"),
                    ],
                    level=3,
                )
            )
    if fr.calibration:
        blocks: list[str | Table | Chart] = [
            table(t.assign(attribute=a)) for a, t in fr.calibration.items()
        ]
        note = (
            "Per groep: werkmatch op het niveau van de plaatsingen tegen hun uitkomst (dezelfde "
            "vergelijking als hierboven), met de gemiddeld getoonde kans ernaast."
        )
        out.append(Section("Kalibratie per groep", [note, *blocks], level=3))
    if fr.scores:
        blocks = [table(t.assign(attribute=a)) for a, t in fr.scores.items()]
        blocks.append(Chart("scores_per_groep", "Verdeling p_duurzaam per groep"))
        out.append(Section("Scoreverdeling per groep", blocks, level=3))
    return out


def document(report: Report) -> list[Section]:
    """All sections in reading order."""
    sections = [summary(report), *placements(report), acquisition(report)]
    ranked = ranking(report)
    if ranked is not None:
        sections.append(ranked)
    sections += fairness(report)
    for progress in report.programmes:
        sections += programme_sections(progress, report.municipalities)
    sections.append(Section("Beperkingen", list(report.limitations)))
    return sections
