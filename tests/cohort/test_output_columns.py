"""The output row of one case (its values, checked against its whole assessment), as docs/cohort.md describes the columns.

The survival columns are ``{os,bcm}_{surgery,treated}_{5,10,15}``: a prognosis at other horizons fills only
the years that have a column. The findings and stage columns are those of ``base_record``; ``rule.<key>`` is
the id of the recommendation that decided ``<key>``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow as pa

from micromets.assess import CaseValues, assess, assess_values_many
from micromets.cohort.engine import _Columns, base_record, output_schema
from micromets.guidelines import decision_key
from micromets.model import parse_case_json

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "micromets" / "examples" / "pn1mi.json"


def _row(values: CaseValues) -> dict[str, object]:
    columns = _Columns(1)
    columns.values(0, values)
    batch: pa.RecordBatch = columns.batch(output_schema())
    return batch.to_pylist()[0]  # type: ignore[no-any-return]


def test_the_row_of_an_assessment() -> None:
    case = parse_case_json(EXAMPLE.read_text(encoding="utf-8"))
    a = assess(case)
    row = _row(assess_values_many([case])[0])
    base = base_record(a.id, a.findings, a.staging)
    assert {k: row[k] for k in base} == base
    assert row["error_field"] is None and row["error_message"] is None and row["errors"] is None
    assert a.prognosis is not None and list(a.prognosis.years) == [5, 10, 15]
    assert [row[f"os_surgery_{y}"] for y in (5, 10, 15)] == a.prognosis.overall_survival.surgery_only
    assert [row[f"bcm_treated_{y}"] for y in (5, 10, 15)] == a.prognosis.breast_cancer_mortality.with_treatments
    for key, value in a.decisions.items():
        assert row[f"decision.{key}"] == value
        deciding = [r.id for r in a.recommendations if decision_key(r.id) == key]
        assert row[f"rule.{key}"] == (deciding[-1] if deciding else None)


def test_other_horizons_fill_only_the_years_with_a_column() -> None:
    case = parse_case_json(EXAMPLE.read_text(encoding="utf-8"))
    a = assess(case)
    assert a.prognosis is not None
    values = assess_values_many([case])[0]
    assert values.prognosis is not None
    series = [0.99, 0.9, 0.8, 0.995, 0.95, 0.9]  # surgery only, then with treatments, at years 1, 5 and 10
    other = values.prognosis._replace(years=(1, 5, 10), figures=[*series, *series])
    row = _row(replace(values, prognosis=other))
    assert (row["os_surgery_5"], row["os_surgery_10"], row["os_surgery_15"]) == (0.9, 0.8, None)
    assert (row["bcm_treated_5"], row["bcm_treated_10"], row["bcm_treated_15"]) == (0.95, 0.9, None)
    assert row["prognosis_version"] == a.prognosis.model_version
