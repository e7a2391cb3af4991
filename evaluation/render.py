"""Write the report: self-contained HTML (inline CSS, charts as data URIs), Markdown, JSON, PNGs.

The HTML loads nothing from anywhere: no scripts, no fonts, no stylesheets, no remote images.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from evaluation.charts import report_charts
from evaluation.document import document
from evaluation.layout import Chart, Section, Table
from evaluation.report import Report, report_dict

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 60rem; color: #1b1b1b; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; border-bottom: 3px solid #1565c0; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; color: #0d47a1; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .85rem; }
th, td { border: 1px solid #cfd8dc; padding: .25rem .55rem; text-align: right; }
th { background: #eceff1; }
td:first-child, th:first-child { text-align: left; }
figure { margin: 1rem 0; } figcaption { font-size: .8rem; color: #555; }
img { max-width: 100%; height: auto; }
"""
TITLE = "werkmatch · evaluatie"


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in t.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in t.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_block(block: str | Table | Chart, charts: Mapping[str, bytes]) -> str:
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Chart):
        if block.name not in charts:
            return ""
        data = base64.b64encode(charts[block.name]).decode("ascii")
        caption = html.escape(block.caption)
        return (
            f'<figure><img alt="{caption}" src="data:image/png;base64,{data}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return f"<p>{html.escape(block)}</p>"


def render_html(report: Report, charts: Mapping[str, bytes] | None = None) -> str:
    """The report as one self-contained HTML page (charts drawn when not given)."""
    charts = report_charts(report) if charts is None else charts
    parts = [
        "<!doctype html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{html.escape(TITLE)} {html.escape(str(report.period))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{html.escape(TITLE)}: {html.escape(str(report.period))}</h1>",
    ]
    for section in document(report):
        parts.append(f"<h{section.level}>{html.escape(section.title)}</h{section.level}>")
        parts += [_html_block(b, charts) for b in section.blocks]
    parts.append("</body></html>")
    return "\n".join(parts)


def _md_table(t: Table) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") or " " for c in cells) + " |"

    rows = [line(t.headers), "|" + "---|" * len(t.headers)]
    return "\n".join(rows + [line(r) for r in t.rows])


def _md_section(section: Section, charts: Mapping[str, bytes]) -> str:
    out = ["#" * section.level + " " + section.title]
    for block in section.blocks:
        if isinstance(block, Table):
            out.append(_md_table(block))
        elif isinstance(block, Chart):
            if block.name in charts:
                out.append(f"![{block.caption}]({block.name}.png)")
        else:
            out.append(block)
    return "\n\n".join(out)


def render_markdown(report: Report, charts: Mapping[str, bytes] | None = None) -> str:
    """The report as Markdown; charts are linked as the PNG files written next to it."""
    charts = report_charts(report) if charts is None else charts
    head = f"# {TITLE}: {report.period}"
    return "\n\n".join([head, *(_md_section(s, charts) for s in document(report))]) + "\n"


@dataclass(frozen=True)
class Written:
    """The files written by :func:`write_report`."""

    html: Path
    markdown: Path
    metrics: Path
    charts: list[Path]


def write_report(report: Report, out_dir: Path) -> Written:
    """Write ``report.html``, ``report.md``, ``metrics.json`` and the charts as PNG."""
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = report_charts(report)
    pngs = []
    for name, data in charts.items():
        path = out_dir / f"{name}.png"
        path.write_bytes(data)
        pngs.append(path)
    html_path, md_path, json_path = (
        out_dir / "report.html", out_dir / "report.md", out_dir / "metrics.json",
    )  # fmt: skip
    html_path.write_text(render_html(report, charts), encoding="utf-8")
    md_path.write_text(render_markdown(report, charts), encoding="utf-8")
    json_path.write_text(
        json.dumps(report_dict(report), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return Written(html_path, md_path, json_path, pngs)
