"""``micromets validate`` / ``recalibrate`` and ``--calibration`` on ``assess`` and ``cohort`` (issue 11).

The registry test builds a synthetic registry in the cohort format (micromets.cohort.synthetic), draws each
patient's death from the PREDICT survival the cohort path gives her (a perfectly calibrated truth) and
checks that ``validate`` on the file finds O/E near 1 and slope near 1.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from micromets.cli import app
from micromets.cohort.engine import score_batch
from micromets.cohort.synthetic import synthetic_registry

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pn1mi.json"


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_json_has_the_issue_keys() -> None:
    r = invoke("validate", "--dataset", "gbsg2", "--prognosis-version", "3.0", "--bootstrap", "5")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc) == {"dataset", "n", "prognosis_version", "horizons"}
    assert list(doc["horizons"]) == ["5"]
    h = doc["horizons"]["5"]
    for key in ("c_index", "oe", "calibration_slope", "calibration_in_the_large", "auc", "brier", "observed_os",
                "predicted_os", "oe_ci", "c_index_ci", "deciles", "decision_curve"):
        assert key in h
    assert len(h["deciles"]) == 10 and sum(d["n"] for d in h["deciles"]) == 686
    assert h["oe_ci"][0] < h["oe"] < h["oe_ci"][1]
    assert h["bootstrap"] == {"reps": 5, "seed": 2026, "interval": "percentile 2.5-97.5"}


def test_html_report_has_the_plots(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = invoke("validate", "--dataset", "rotterdam", "--horizon", "5", "--horizon", "10", "--prognosis-version",
               "2.2", "--bootstrap", "3", "-o", str(out))
    assert r.exit_code == 0, r.output
    page = out.read_text()
    assert page.count("data:image/png;base64,") == 6  # calibration, survival, decision curve per horizon
    assert "O/E" in page and "Harrell" in page


@pytest.mark.parametrize(("args", "message"), [
    ([], "give either a REGISTRY"),
    (["--dataset", "gbsg2", "--horizon", "10"], "follow-up ends at 7.3 years"),
    (["--dataset", "gbsg2", "--prognosis-version", "9.9"], "not implemented"),
    (["--dataset", "gbsg2", "--variant", "nope"], "unknown --variant"),
    (["--dataset", "elsewhere"], "unknown dataset"),
])
def test_misuse_is_one_error_line_and_exit_2(args: list[str], message: str) -> None:
    r = invoke("validate", *args, "--bootstrap", "0")
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.output


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic registry with death drawn from PREDICT v3.2's own OS (time in months)."""
    table = synthetic_registry(3000, seed=11)
    scored = pa.Table.from_batches([score_batch(b, prognosis_version="3.2") for b in table.to_batches()]).to_pylist()
    rng = np.random.default_rng(12)
    months, died = [], []
    for row, record in zip(table.to_pylist(), scored, strict=True):
        # validate scores a row with its own treatments (surgery only when none is recorded): so must the truth.
        own = any(v not in (None, "") for k, v in row.items() if k.startswith("treatments."))
        s5 = record.get("os_treated_5") if own else None
        if s5 is None or math.isnan(s5):
            s5 = record.get("os_surgery_5")
        if s5 is None or math.isnan(s5):
            months.append(12.0)
            died.append(0)
            continue
        death = rng.exponential(5.0 / -math.log(s5))  # years; cumulative hazard at 5 years = -log S(5)
        censor = min(rng.uniform(3, 20), 10.0)
        months.append(round(min(death, censor) * 12.0, 4))
        died.append(int(death <= censor))
    table = table.append_column("fu_months", pa.array(months)).append_column("dead", pa.array(died))
    path = tmp_path_factory.mktemp("registry") / "registry.csv"
    pacsv.write_csv(table, path)
    return path


def test_validate_a_registry_with_a_calibrated_truth(registry: Path) -> None:
    r = invoke("validate", str(registry), "--time-col", "fu_months", "--event-col", "dead", "--time-unit", "months",
               "--prognosis-version", "3.2", "--bootstrap", "0")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["dataset"] == "registry.csv" and 2000 < doc["n"] < 3000
    h = doc["horizons"]["5"]
    assert h["oe"] == pytest.approx(1.0, abs=0.1)
    assert h["calibration_slope"] == pytest.approx(1.0, abs=0.15)
    assert "rows left out" in r.stderr  # neoadjuvant, metastatic, invalid and pre-operative rows


def test_registry_needs_its_outcome_columns(registry: Path) -> None:
    r = invoke("validate", str(registry), "--time-col", "fu_years", "--event-col", "dead")
    assert r.exit_code == 2 and "no column 'fu_years'" in r.stderr


def test_recalibrate_then_assess_and_cohort_with_the_profile(registry: Path, tmp_path: Path) -> None:
    profile_path = tmp_path / "profile.json"
    r = invoke("recalibrate", "--dataset", "rotterdam", "--prognosis-version", "3.0", "--horizon", "5",
               "-o", str(profile_path))
    assert r.exit_code == 0, r.output
    assert "cross-validated" in r.stderr and "holds only for the population" in r.stderr
    profile = json.loads(profile_path.read_text())
    assert profile["format"] == "micromets-calibration-profile/1"
    assert profile["cohort"]["name"] == "rotterdam" and profile["cohort"]["n"] == 2982
    assert profile["cohort"]["diagnosis_period"] == "1978-1993"
    assert profile["horizon_years"] == 5 and profile["prognosis_version"] == "3.0"
    assert set(profile["cross_validation"]["before"]) >= {"oe", "calibration_slope", "c_index"}

    # assess: the profile's version is used; recalibrated figures beside the original ones, with the warning
    r = invoke("assess", str(EXAMPLE), "--calibration", str(profile_path))
    assert r.exit_code == 0, r.output
    a = json.loads(r.stdout)
    p = a["prognosis"]
    assert p["model_version"] == "3.0"
    original = np.array(p["overall_survival"]["with_treatments"])
    transformed = np.exp(-np.exp(profile["intercept"] + profile["slope"] * np.log(-np.log(original))))
    assert np.allclose(p["recalibrated"]["overall_survival"]["with_treatments"], transformed, atol=1e-9)
    assert any("holds only for the population it was fitted on" in w for w in a["warnings"])
    text = invoke("assess", str(EXAMPLE), "--calibration", str(profile_path), "--format", "text").stdout
    assert "Recalibrated to a local population" in text
    html = invoke("assess", str(EXAMPLE), "--calibration", str(profile_path), "--format", "html").stdout
    assert "Recalibrated to a local population" in html

    mismatch = invoke("assess", str(EXAMPLE), "--calibration", str(profile_path), "--prognosis-version", "3.2")
    assert mismatch.exit_code == 2 and "fitted for PREDICT v3.0" in mismatch.stderr

    out = tmp_path / "scored.parquet"
    plain = pacsv.read_csv(registry).drop_columns(["fu_months", "dead"])
    source = tmp_path / "plain.parquet"
    pq.write_table(plain.slice(0, 300), source)
    r = invoke("cohort", str(source), "-o", str(out), "--fast", "--calibration", str(profile_path))
    assert r.exit_code in (0, 2), r.output  # 2: the synthetic registry has invalid rows by design
    scored = pq.read_table(out)
    assert scored.schema.metadata[b"prognosis_version_requested"] == b"3.0"
    assert b"micromets_calibration_profile" in scored.schema.metadata
    before = np.array(scored.column("os_treated_10").to_pylist(), dtype=float)
    after = np.array(scored.column("os_recalibrated_treated_10").to_pylist(), dtype=float)
    known = ~np.isnan(before)
    assert known.any() and np.array_equal(known, ~np.isnan(after))
    expected = np.exp(-np.exp(profile["intercept"] + profile["slope"] * np.log(-np.log(before[known]))))
    assert np.allclose(after[known], expected, atol=1e-9)


def test_a_broken_profile_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "micromets-calibration-profile/1", "slope": -1}')
    r = invoke("assess", str(EXAMPLE), "--calibration", str(bad))
    assert r.exit_code == 2 and "is not a calibration profile" in r.stderr


@pytest.mark.parametrize("version", ["2.2", "3.0", "3.2"])
def test_a_rotterdam_profile_fits_rotterdam_but_does_not_transfer_to_gbsg2(version: str, tmp_path: Path) -> None:
    """Issue 11: recalibration brings O/E to 0.99-1.00 within a cohort, but a fit learned on Rotterdam leaves
    GBSG-2 at O/E 1.21-1.31."""
    profile = tmp_path / "rotterdam.json"
    assert invoke("recalibrate", "--dataset", "rotterdam", "--prognosis-version", version, "-o",
                  str(profile)).exit_code == 0
    same = invoke("validate", "--dataset", "rotterdam", "--calibration", str(profile), "--bootstrap", "0")
    other = invoke("validate", "--dataset", "gbsg2", "--calibration", str(profile), "--bootstrap", "0")
    assert same.exit_code == 0 and other.exit_code == 0, same.output + other.output
    assert json.loads(same.stdout)["prognosis_version"] == version  # taken from the profile
    assert 0.98 <= json.loads(same.stdout)["horizons"]["5"]["oe"] <= 1.01
    assert 1.20 <= json.loads(other.stdout)["horizons"]["5"]["oe"] <= 1.31
    assert "holds only for the population it was fitted on" in other.stderr
