"""The model card and the algorithm-register entry, rendered from a model's sidecar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from features.pairwise import FEATURE_DEFINITIONS, FEATURE_NAMES
from matching.scoring.model import PRIOR_STRENGTH
from matching.scoring.prior import PRIOR_WEIGHTS
from matching.scoring.training_rows import BACKGROUND_PER_VACANCY

FEATURE_REASONS: dict[str, str] = {
    "required_coverage": "the employer's own must-haves; what account managers check first",
    "optional_coverage": "nice-to-haves shorten the learning curve",
    "same_occupation": "having done this work before is the strongest sign of fit",
    "same_isco4": "closely related work transfers",
    "same_isco3": "broadly related work transfers somewhat",
    "essential_share": "core skills of the occupation gained in earlier work, even when not listed",
    "sector_match": "working in a sector one chose keeps people in work",
    "distance_km": "long commutes end placements",
    "within_travel": "the candidate's own limit for travel",
    "mobility": "how far one can get, depending on a driving licence",
    "hours_fit": "too few available hours make the job impossible, too many leave income short",
    "hours_floor": "16 h/week is the floor of positive outflow",
    "readiness": "distance to the labour market (participation ladder)",
    "education_met": "only the vacancy's stated minimum, never the level itself",
    "language_met": "only when the vacancy explicitly requires a language",
    "licence_met": "only when the vacancy requires a driving licence",
    "available_by_start": "someone who cannot start in time cannot take the job",
    "required_experience": "intake records a fraction of what people can do; the work they "
    "did says more",
    "required_related": "weaker evidence from work history",
    "same_family": "related work in the ESCO occupation hierarchy transfers",
    "beyond_travel_km": "a commute beyond one's own limit ends placements",
    "distance_over_5km": "lets the data say whether distance hurts from the first km",
    "distance_over_15km": "or only beyond a threshold",
    "distance_no_licence": "without a car distance weighs more",
    "hours_short": "too few available hours make the job impossible",
    "hours_excess": "unused hours leave income short",
    "distance_over_10km": "a third knot for the distance shape",
    "required_recorded": "a competence written in the file is held; a close one only maybe",
}
EXCLUDED = (
    "gender, birth year / age, origin, nationality, target group (doelgroep), benefit type, "
    "health and any language outside an explicit vacancy requirement are not features and are "
    "not even loaded into the feature arrays; they are used only for the fairness audit"
)


def _feature_table() -> str:
    rows = ["| feature | definition | why | prior weight (logit per unit) |", "|---|---|---|---|"]
    for name in FEATURE_NAMES:
        rows.append(
            f"| `{name}` | {FEATURE_DEFINITIONS[name]} | {FEATURE_REASONS[name]} "
            f"| {PRIOR_WEIGHTS[name]:g} |"
        )
    return "\n".join(rows)


def _metrics_table(metrics: dict[str, Any]) -> str:
    rows = [
        "| scorer | rows | positives | Brier | AUC | NDCG@10 (vacancies) |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("learned", "prior"):
        m = metrics.get(name, {})
        rows.append(
            f"| {name} | {m.get('rows')} | {m.get('positives')} | {m.get('brier')} "
            f"| {m.get('auc')} | {m.get('ndcg_at_10')} ({m.get('vacancies_ranked')}) |"
        )
    return "\n".join(rows)


def _calibration_table(bins: list[list[float]]) -> str:
    rows = ["| predicted p | rows | mean predicted | observed rate |", "|---|---|---|---|"]
    rows += [f"| {lo:.1f}–{hi:.1f} | {n} | {mp:.3f} | {obs:.3f} |" for lo, hi, n, mp, obs in bins]
    return "\n".join(rows)


def _coefficients(sidecar: dict[str, Any]) -> str:
    coef = sidecar.get("coefficients", {})
    rows = ["| feature | coefficient (per standard deviation) |", "|---|---|"]
    rows += [f"| `{k}` | {v:+.3f} |" for k, v in sorted(coef.items(), key=lambda kv: -abs(kv[1]))]
    return "\n".join(rows)


def _data(sidecar: dict[str, Any]) -> str:
    rows, counts, split = sidecar["rows"], sidecar["proposal_status_counts"], sidecar["split"]
    status = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return (
        f"Proposals in the store as of {sidecar['as_of']} (proposal status: {status}). Labelled "
        f"rows: {rows['fit']} to fit (vacancies opened {split['fit'][0]} – {split['fit'][1]}), "
        f"{rows['calibration']} to calibrate ({split['calibration'][0]} – "
        f"{split['calibration'][1]}), {rows['holdout']} held out ({split['holdout'][0]} – "
        f"{split['holdout'][1]}); {rows['positives']} durable placements in all. Training data "
        f"sha256 `{sidecar['training_data_sha256'][:16]}…`."
    )


def render_model_card(sidecar: dict[str, Any]) -> str:
    """The model card (Markdown) of a trained version."""
    template = (Path(__file__).parent / "model_card.md.tmpl").read_text()
    metrics = sidecar["metrics"]
    libs = ", ".join(f"{k} {v}" for k, v in sorted(sidecar["libraries"].items()))
    return template.format(
        version=sidecar["version"],
        as_of=sidecar["as_of"],
        created_at=sidecar["created_at"],
        libraries=libs,
        data=_data(sidecar),
        features=_feature_table(),
        excluded=EXCLUDED,
        metrics=_metrics_table(metrics),
        calibration=_calibration_table(metrics["learned"]["calibration"]),
        calibrator=sidecar.get("calibrator"),
        coefficients=_coefficients(sidecar),
        verdict="; ".join(sidecar.get("worse_than_prior", [])) or "not worse than the prior",
        background=sidecar.get("background_per_vacancy", BACKGROUND_PER_VACANCY),
        prior_strength=sidecar.get("prior_strength", PRIOR_STRENGTH),
        level_offset=f"{sidecar.get('level_offset', 0.0):+.2f}",
        level_scale=f"{sidecar.get('level_scale', 1.0):.2f}",
    )


def register_values(sidecar: dict[str, Any], *, page: bool = False) -> dict[str, Any]:
    """The blanks of the algoritmeregister template: as written to docs/ (feature code names,
    figures to four decimals), or for the page (``page``: Dutch feature names, two decimals);
    figures the Dutch way in both (a decimal comma)."""
    from matching import dutch
    from matching.shortlist.explain import FEATURE_LABELS

    learned, prior = sidecar["metrics"]["learned"], sidecar["metrics"]["prior"]
    figure: Any = (lambda v: dutch.number(v, 2)) if page else (lambda v: dutch.number(v, 4))
    rows = sidecar["rows"]["fit"] + sidecar["rows"]["calibration"] + sidecar["rows"]["holdout"]
    names = (
        (FEATURE_LABELS[n] for n in FEATURE_NAMES) if page else (f"`{n}`" for n in FEATURE_NAMES)
    )
    return {
        "version": sidecar["version"],
        "as_of": sidecar["as_of"],
        "features": ", ".join(names),
        "n_features": len(FEATURE_NAMES),
        "rows": dutch.number(rows) if page else rows,
        "brier": figure(learned["brier"]),
        "auc": figure(learned["auc"]),
        "ndcg": figure(learned["ndcg_at_10"]),
        "prior_auc": figure(prior["auc"]),
        "prior_ndcg": figure(prior["ndcg_at_10"]),
    }


REGISTER_TEMPLATE = Path(__file__).parent / "algoritmeregister.md.tmpl"


def render_algorithm_register(sidecar: dict[str, Any]) -> str:
    """The algoritmeregister entry (Markdown, Dutch field names) of a trained version."""
    return REGISTER_TEMPLATE.read_text().format(**register_values(sidecar))


def register_sections(sidecar: dict[str, Any]) -> list[tuple[str, str]]:
    """The algoritmeregister entry as (heading, plain Dutch text) for the page: the same
    template, without its generated-by line and Markdown marks, figures the Dutch way."""
    values = register_values(sidecar, page=True)
    sections = []
    for chunk in REGISTER_TEMPLATE.read_text().split("\n## ")[1:]:
        heading, _, body = chunk.partition("\n")
        text = " ".join(body.format(**values).split())
        sections.append((heading.strip(), text.replace("**", "").replace("*", "").replace("`", "")))
    return sections


def write_documents(sidecar: dict[str, Any], *, model_dir: Path, docs_dir: Path | None) -> None:
    """Write both documents next to the model version and, when given, into ``docs_dir``."""
    texts = {
        "model-card.md": render_model_card(sidecar),
        "algoritmeregister.md": render_algorithm_register(sidecar),
    }
    targets = [model_dir / sidecar["version"]] + ([docs_dir] if docs_dir is not None else [])
    for folder in targets:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (folder / name).write_text(text)


DOCUMENTS = ("model-card.md", "algoritmeregister.md")
"""The documents stored beside every trained version."""


def active_documents(model_dir: Path) -> dict[str, str]:
    """The model card and algoritmeregister entry of the active version, by file name;
    NotFound when no trained model is active (the prior scores) or they were never written."""
    from matching.errors import NotFound
    from matching.scoring.model_versions import active_version

    version = active_version(model_dir)
    folder = model_dir / version if version else None
    if folder is None or not all((folder / name).is_file() for name in DOCUMENTS):
        raise NotFound("no trained model is active: the transparent prior scores")
    return {name: (folder / name).read_text() for name in DOCUMENTS}
