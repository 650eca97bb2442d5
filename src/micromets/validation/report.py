"""Validation report: plots (matplotlib, Agg, PNG) and a self-contained HTML page of a validation document.

    >>> doc = {"dataset": "x", "n": 0, "prognosis_version": "3.0", "horizons": {}}
    >>> "<h1>" in render_html(doc)
    True
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["calibration_plot", "decision_curve_plot", "render_html", "summary_rows", "survival_plot"]

_RC = {"font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


_COLOURS = ("#1f5fa8", "#c0392b", "#27864a", "#8e44ad")
Series = Sequence[tuple[str, Mapping[str, Any]]]


def calibration_plot(series: Series, title: str) -> bytes:
    """Observed (Kaplan-Meier, 95 % CI) against mean predicted risk of death by tenth of predicted risk;
    ``series`` is a list of (label, horizon metrics), drawn in one panel."""
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(4.2, 4.0))
        ax = fig.subplots()
        top = 0.05
        for k, (label, metrics) in enumerate(series):
            deciles = metrics["deciles"]
            predicted = [d["predicted_risk"] for d in deciles]
            observed = [d["observed_risk"] for d in deciles]
            low = [d["observed_risk"] - d["observed_risk_low"] for d in deciles]
            high = [d["observed_risk_high"] - d["observed_risk"] for d in deciles]
            top = max([top, *predicted, *[d["observed_risk_high"] for d in deciles]])
            ax.errorbar(predicted, observed, yerr=[low, high], fmt="o-", lw=0.8, color=_COLOURS[k % len(_COLOURS)],
                        ms=3.5, capsize=2, label=label)
        top *= 1.05
        ax.plot([0, top], [0, top], color="#999999", lw=1, ls="--", label="perfect calibration")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel("Predicted risk of death (PREDICT), tenths")
        ax.set_ylabel("Observed risk of death (Kaplan-Meier)")
        ax.set_title(title)
        ax.legend(loc="upper left", frameon=False)
        return _png(fig)


def survival_plot(series: Series, title: str) -> bytes:
    """Kaplan-Meier overall survival (of the first series) against each series' mean predicted survival."""
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(4.2, 3.4))
        ax = fig.subplots()
        curve = series[0][1]["survival_curve"]
        years = [0, *curve["years"]]
        ax.step(years, [1.0, *curve["observed"]], where="post", color="#222222", label="observed (Kaplan-Meier)")
        for k, (label, metrics) in enumerate(series):
            predicted = metrics["survival_curve"]["predicted"]
            if predicted:
                ax.plot(years, [1.0, *predicted], "o-", color=_COLOURS[k % len(_COLOURS)], ms=3,
                        label=f"mean predicted, {label}")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("Years since diagnosis")
        ax.set_ylabel("Overall survival")
        ax.set_title(title)
        ax.legend(loc="lower left", frameon=False)
        return _png(fig)


def decision_curve_plot(series: Series, title: str) -> bytes:
    """Net benefit of acting on PREDICT's risk of death, of acting for all and for none."""
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(4.2, 3.4))
        ax = fig.subplots()
        best = 0.01
        for k, (label, metrics) in enumerate(series):
            dc = metrics["decision_curve"]
            ax.plot(dc["thresholds"], dc["model"], color=_COLOURS[k % len(_COLOURS)], label=label)
            best = max(best, max(dc["model"]))
        dc = series[0][1]["decision_curve"]
        ax.plot(dc["thresholds"], dc["treat_all"], color="#888888", ls="--", label="act for all")
        ax.axhline(0.0, color="#222222", lw=0.8, label="act for none")
        best = max(best, max(dc["treat_all"]))
        ax.set_ylim(-0.05, best * 1.15)
        ax.set_xlabel("Threshold risk of death")
        ax.set_ylabel("Net benefit")
        ax.set_title(title)
        ax.legend(loc="upper right", frameon=False)
        return _png(fig)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    return f"{float(value):.{digits}f}"


def _ci(value: Any, ci: Any, digits: int = 3) -> str:
    if not ci or ci[0] is None:
        return _fmt(value, digits)
    return f"{_fmt(value, digits)} ({_fmt(ci[0], digits)} to {_fmt(ci[1], digits)})"


def summary_rows(doc: Mapping[str, Any]) -> list[tuple[str, str, str, str, str, str, str, str]]:
    """One row per horizon: horizon, observed OS, predicted OS, O/E, slope, C, AUC, Brier (95 % CIs)."""
    rows = []
    for h, m in doc["horizons"].items():
        rows.append((f"{h} y", _ci(m["observed_os"], m["observed_os_ci"]), _fmt(m["predicted_os"]),
                     _ci(m["oe"], m["oe_ci"], 2), _ci(m["calibration_slope"], m["calibration_slope_ci"], 2),
                     _ci(m["c_index"], m["c_index_ci"]), _ci(m["auc"], m["auc_ci"]), _ci(m["brier"], m["brier_ci"])))
    return rows


def _img(data: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'


def render_html(doc: Mapping[str, Any], notes: list[str] | None = None) -> str:
    """A self-contained HTML page: summary table, then per horizon the three plots."""
    name, version = str(doc["dataset"]), str(doc["prognosis_version"])
    head = ("<tr><th>Horizon</th><th>Observed OS (KM)</th><th>Mean predicted OS</th><th>O/E</th>"
            "<th>Calibration slope</th><th>Harrell's C</th><th>AUC(t)</th><th>Brier</th></tr>")
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in summary_rows(doc))
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>PREDICT v{html.escape(version)} validation: {html.escape(name)}</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:1em auto;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:90%}"
        ".plots img{width:32%;margin-right:1%}.warn{background:#fff4e0;padding:.5em}</style></head><body>",
        f"<h1>PREDICT v{html.escape(version)} against observed overall survival: {html.escape(name)}</h1>",
        f"<p>{int(doc['n'])} patients. Each patient's PREDICT overall survival under her own recorded treatments "
        "is compared with the deaths observed (95 % bootstrap percentile intervals).</p>",
        f"<table>{head}{body}</table>",
    ]
    for note in notes or []:
        parts.append(f"<p class='warn'>{html.escape(note)}</p>")
    for h, m in doc["horizons"].items():
        title = f"{name}, v{version}, {h} years"
        one = [(f"PREDICT v{version}", m)]
        parts.append(f"<h2>{html.escape(h)} years</h2><p>Calibration-in-the-large (log baseline cumulative hazard, "
                     f"slope 1): {_ci(m['calibration_in_the_large'], m['calibration_in_the_large_ci'])}; O/E "
                     f"(Greenwood CI): {_ci(m['oe'], m['oe_ci_greenwood'], 2)}; scaled Brier "
                     f"{_fmt(m['scaled_brier'])}; deaths by {html.escape(h)} years: {m['deaths_by_horizon']}.</p>")
        parts.append("<div class='plots'>" + _img(calibration_plot(one, title), "calibration by tenths of risk")
                     + _img(survival_plot(one, title), "observed and predicted survival")
                     + _img(decision_curve_plot(one, title), "decision curve") + "</div>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
