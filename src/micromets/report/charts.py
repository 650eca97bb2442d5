"""PREDICT-style charts and the follow-up timeline as self-contained SVG strings (matplotlib, Agg).

Output is deterministic: a fixed ``svg.hashsalt``, no date or creator metadata, text kept as text
(``svg.fonttype = none``) so it stays searchable in the PDF. Element ids are prefixed per chart, so
several charts can be inlined in one HTML page.

Example::

    >>> from micromets.model.assessment import Prognosis
    >>> p = Prognosis.model_validate({"model_version": "3.0", "years": [5, 10, 15],
    ...     "treatments_evaluated": ["endocrine"],
    ...     "overall_survival": {"surgery_only": [.9, .8, .7], "with_treatments": [.92, .83, .74]},
    ...     "breast_cancer_mortality": {"surgery_only": [.05, .1, .15], "with_treatments": [.03, .07, .11]},
    ...     "incremental_benefit": [{"treatment": "endocrine", "overall_survival_gain": [.02, .03, .04]}]})
    >>> survival_bar_svg(p).startswith("<svg")
    True
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from micromets.model.assessment import FollowUpItem, Prognosis  # noqa: E402

from ._common import CATEGORY_ORDER, treatment_label  # noqa: E402

__all__ = ["deaths_by_cause_svg", "follow_up_timeline_svg", "survival_bar_svg", "survival_curves_svg"]

#: Okabe-Ito colour-blind-safe palette; the first colour is surgery alone.
PALETTE = ("#8c9aa8", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6b4c9a", "#b8860b")
_INK = "#1f2933"
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "micromets",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 8.5,
    "axes.edgecolor": "#9aa5b1",
    "axes.labelcolor": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@contextmanager
def _style() -> Iterator[None]:
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]  # keys are valid rcParams
        yield


def _to_svg(fig: Figure, prefix: str, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=_METADATA, bbox_inches="tight", pad_inches=0.04)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE (inline use)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = svg.replace('href="#', f'href="#{prefix}-').replace("url(#", f"url(#{prefix}-")
    svg = svg.replace("*{stroke-linejoin", f"svg.{prefix} *{{stroke-linejoin")
    svg = svg.replace("<svg ", f'<svg class="chart {prefix}" role="img" aria-label="{title}" ', 1)
    return svg.strip() + "\n"


def survival_bar_svg(prognosis: Prognosis) -> str:
    """Stacked bars of overall survival at each of ``prognosis.years``: surgery alone, then each
    treatment's incremental benefit on top (PREDICT's display order), the total printed at the end."""
    years = prognosis.years
    base = [100 * v for v in prognosis.overall_survival.surgery_only]
    with _style():
        fig = Figure(figsize=(7.0, 0.5 + 0.34 * len(years)))
        ax = fig.add_subplot()
        rows = list(range(len(years)))[::-1]
        ax.barh(rows, base, color=PALETTE[0], height=0.62, label=treatment_label("surgery"))
        for i, value in zip(rows, base, strict=True):
            ax.text(value / 2, i, f"{value:.1f}%", va="center", ha="center", color="white", fontsize=8)
        left = list(base)
        for k, benefit in enumerate(prognosis.incremental_benefit, start=1):
            gain = [100 * g for g in benefit.overall_survival_gain]
            ax.barh(rows, gain, left=left, color=PALETTE[k % len(PALETTE)], height=0.62,
                    label=f"+ {treatment_label(benefit.treatment)}")
            left = [a + b for a, b in zip(left, gain, strict=True)]
        for i, total, extra in zip(rows, left, [t - b for t, b in zip(left, base, strict=True)], strict=True):
            note = f"{total:.1f}%" + (f"  (+{extra:.1f})" if prognosis.incremental_benefit else "")
            ax.text(min(total, 100) + 1, i, note, va="center", ha="left", fontsize=8, color=_INK)
        ax.set_yticks(rows, [f"{y} years" for y in years])
        ax.set_xlim(0, 118)
        ax.set_xticks(range(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
        ax.set_xlabel("Overall survival (alive at the time point)")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=min(5, 1 + len(prognosis.incremental_benefit)),
                  frameon=False, fontsize=7.5, borderaxespad=0.2)
        return _to_svg(fig, "mm-bar", "Overall survival by treatment, stacked")


#: Deaths from breast cancer, deaths from other causes, alive (colour-blind-safe, distinct in grey print).
CAUSE_COLOURS = ("#D55E00", "#52606d", "#cfe3f3")


def deaths_by_cause_svg(prognosis: Prognosis) -> str | None:
    """Competing risks: for each year and arm (surgery alone, with the treatments evaluated), one bar split into
    deaths from breast cancer, deaths from other causes and women alive; ``None`` without other-cause figures."""
    other = prognosis.other_cause_mortality
    if other is None:
        return None
    arms = [("surgery only", prognosis.breast_cancer_mortality.surgery_only, other.surgery_only)]
    if prognosis.treatments_evaluated:
        arms.append(("with treatments", prognosis.breast_cancer_mortality.with_treatments, other.with_treatments))
    labels: list[str] = []
    bars: list[tuple[float, float]] = []
    for k, year in enumerate(prognosis.years):
        for arm, breast, others in arms:
            labels.append(f"{year} y, {arm}")
            bars.append((100 * breast[k], 100 * others[k]))
    with _style():
        fig = Figure(figsize=(7.0, 0.55 + 0.27 * len(bars)))
        ax = fig.add_subplot()
        rows = list(range(len(bars)))[::-1]
        names = ("Died of breast cancer", "Died of other causes", "Alive")
        for part in range(3):
            widths = [(b, o, max(0.0, 100 - b - o))[part] for b, o in bars]
            lefts = [(0.0, b, b + o)[part] for b, o in bars]
            ax.barh(rows, widths, left=lefts, color=CAUSE_COLOURS[part], height=0.64, label=names[part],
                    edgecolor="white", linewidth=0.4)
            for row, width, left in zip(rows, widths, lefts, strict=True):
                if part < 2 and width >= 9:
                    ax.text(left + width / 2, row, f"{width:.1f}%", va="center", ha="center", fontsize=7.5,
                            color="white")
        for row, (b, o) in zip(rows, bars, strict=True):
            ax.text(101, row, f"breast cancer {b:.1f}% · other causes {o:.1f}%", va="center", ha="left",
                    fontsize=7.5, color=_INK)
        ax.set_yticks(rows, labels)
        ax.set_xlim(0, 150)
        ax.set_xticks(range(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
        ax.set_xlabel("Women like this patient, by outcome")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, frameon=False, fontsize=7.5, borderaxespad=0.2)
        return _to_svg(fig, "mm-causes", "Deaths from breast cancer and from other causes")


def survival_curves_svg(prognosis: Prognosis) -> str | None:
    """Overall survival curves, years 0-15, one line per cumulative treatment column of
    ``prognosis.curves``; ``None`` when the prognosis carries no curves."""
    if not prognosis.curves:
        return None
    with _style():
        fig = Figure(figsize=(7.0, 2.5))
        ax = fig.add_subplot()
        low = 100.0
        for k, (name, values) in enumerate(prognosis.curves.items()):
            xs = list(range(0, len(values) + 1))
            ys = [100.0] + [100 * v for v in values]
            low = min(low, *ys)
            last = name.split("+")[-1].strip()  # cumulative columns may be named "endocrine+radiotherapy"
            text = treatment_label(last) if k == 0 else f"+ {treatment_label(last)}"
            ax.plot(xs, ys, color=PALETTE[k % len(PALETTE)], linewidth=1.6, label=text)
        ax.set_xlim(0, 15)
        ax.set_xticks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
        ax.set_ylim(max(0.0, 10 * int((low - 5) // 10)), 100.5)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
        ax.grid(axis="y", color="#e4e7eb", linewidth=0.6)
        ax.set_xlabel("Years after surgery")
        ax.set_ylabel("Overall survival")
        ax.legend(loc="lower left", frameon=False, fontsize=7.5)
        return _to_svg(fig, "mm-curves", "Overall survival curves by treatment")


def follow_up_timeline_svg(items: list[FollowUpItem]) -> str | None:
    """A dot plot of the follow-up plan: one row per category, one dot per item, years on the x axis;
    ``None`` when there are no items."""
    if not items:
        return None
    start = min(i.due for i in items)
    categories = sorted({i.category or "other" for i in items},
                        key=lambda c: (CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else 99, c))
    with _style():
        fig = Figure(figsize=(7.0, 0.45 + 0.17 * len(categories)))
        ax = fig.add_subplot()
        for row, category in enumerate(categories):
            xs = [_years(start, i.due) + start.year + (start.timetuple().tm_yday - 1) / 365.25
                  for i in items if (i.category or "other") == category]
            ax.scatter(xs, [row] * len(xs), s=14, color=PALETTE[(row + 1) % len(PALETTE)], zorder=3,
                       edgecolors="none")
        ax.set_yticks(range(len(categories)), [c.replace("_", " ") for c in categories])
        ax.invert_yaxis()
        first_year = start.year
        last_year = max(i.due for i in items).year + 1
        ax.set_xlim(first_year - 0.1, last_year + 0.1)
        ax.set_xticks(range(first_year, last_year + 1))
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color="#e4e7eb", linewidth=0.6)
        return _to_svg(fig, "mm-timeline", "Follow-up timeline by category")


def _years(start: dt.date, day: dt.date) -> float:
    return (day - start).days / 365.25
