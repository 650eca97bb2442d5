"""Row <-> case mapping: dotted columns, registry node counts, errors that name the column."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from cohort._frozen_case_from_row import row_by_row
from micromets.cohort.columns import (
    COUNT_COLUMNS,
    CohortFormatError,
    allowed_columns,
    case_columns,
    case_from_row,
    cases_from_batch,
    check_columns,
    raw_id,
)
from micromets.cohort.synthetic import synthetic_registry
from micromets.errors import CaseValidationError
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cohort.md"

ROW: dict[str, Any] = {
    "id": "r1", "age": 58, "menopausal_status": "post", "detection": "screening", "tumour.size_mm": 18.0,
    "tumour.grade": 2, "tumour.er_percent": 90, "tumour.pr_percent": 40, "tumour.her2_ihc": "1+",
    "clinical_nodes": "cN0", "metastasis": "cM0", "surgery.breast": "bcs", "surgery.status": "done",
    "nodes.procedure": "slnb", "nodes.examined": 3, "nodes.macrometastatic": 0, "nodes.micrometastatic": 1,
    "nodes.itc": 1,
}


def problems(row: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(CaseValidationError) as info:
        case_from_row(row)
    return [(p.field, p.message) for p in info.value.problems]


def test_dotted_columns_become_the_nested_case() -> None:
    case = case_from_row({**ROW, "treatments.endocrine": True, "comorbidities": '["asthma"]'})
    assert case.tumour is not None and case.tumour.size_mm == 18.0 and case.tumour.grade == 2
    assert case.treatments is not None and case.treatments.endocrine is True
    assert case.comorbidities == ["asthma"]


def test_null_nan_and_empty_text_are_unknown_and_empty_sub_objects_are_absent() -> None:
    case = case_from_row({**ROW, "tumour.grade": math.nan, "tumour.ki67_percent": "", "treatments.endocrine": None,
                          "treatments.chemotherapy": None})
    assert case.tumour is not None and case.tumour.grade is None and case.tumour.ki67_percent is None
    assert case.treatments is None  # absent: the recommendations' options are evaluated


def test_counts_expand_to_one_deposit_per_node_with_the_class_of_the_count() -> None:
    case = case_from_row({**ROW, "nodes.examined": 6, "nodes.macrometastatic": 1, "nodes.micrometastatic": 2,
                          "nodes.itc": 1, "nodes.extranodal_extension": False})
    findings = classify(case).findings
    assert [d.node for d in case.nodes.deposits] == [1, 2, 3, 4]  # type: ignore[union-attr]
    assert (findings.macrometastatic_nodes, findings.micrometastatic_nodes, findings.itc_nodes) == (1, 2, 1)
    assert findings.positive_nodes == 3
    assert all(d.extranodal_extension is False for d in case.nodes.deposits)  # type: ignore[union-attr]


def test_counts_and_the_contract_deposit_list_stage_alike() -> None:
    deposits = [{"node": 1, "size_mm": 1.2, "method": "he"}, {"node": 2, "cells": 50, "method": "ihc"}]
    counted = case_from_row(ROW)
    listed = case_from_row({k: v for k, v in ROW.items() if k not in COUNT_COLUMNS}
                           | {"nodes.deposits": json.dumps(deposits)})
    for case in (counted, listed):
        f = classify(case).findings
        assert (f.positive_nodes, f.micrometastatic_nodes, f.itc_nodes) == (1, 1, 1)
    s1 = stage(counted, classify(counted).findings).staging
    s2 = stage(listed, classify(listed).findings).staging
    assert (s1.t, s1.n, s1.anatomic_stage, s1.pathological_prognostic_stage) == \
        (s2.t, s2.n, s2.anatomic_stage, s2.pathological_prognostic_stage) == ("pT1c", "pN1mi(sn)", "IB", "IA")


def test_csv_text_is_typed_by_the_case_validation() -> None:
    text = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in ROW.items()}
    assert case_from_row(text) == case_from_row(ROW)
    assert case_from_row({**ROW, "id": 1234}).id == "1234"


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"tumour.grade": 4}, "tumour.grade", "must be at most 3; got 4"),
    ({"tumour.size_mm": 300}, "tumour.size_mm", "millimetres"),
    ({"menopausal_status": "postmenopausal"}, "menopausal_status", "must be one of"),
    ({"nodes.micrometastatic": None}, "nodes.micrometastatic", "give all three counts"),
    ({"nodes.micrometastatic": 1.5}, "nodes.micrometastatic", "whole number of nodes"),
    ({"nodes.itc": -1}, "nodes.itc", "whole number of nodes"),
    ({"nodes.examined": 1}, "nodes.examined", "add up to 2 nodes"),
    ({"nodes.procedure": "none", "nodes.examined": None}, "nodes.procedure", "is 'none' but node counts"),
    ({"nodes.macrometastatic": None, "nodes.micrometastatic": None, "nodes.itc": None},
     "nodes.macrometastatic", "unknown counts must not read as node-negative"),
    ({"nodes.deposits": "[]"}, "nodes.macrometastatic", "not both"),
    ({"nodes.deposits": "[{"}, "nodes.deposits", "not a valid JSON array"),
    ({"nodes.extranodal_extension": "yes", "nodes.micrometastatic": 0, "nodes.itc": 0},
     "nodes.extranodal_extension", "counts are all 0"),
    ({"tumour.in_situ_only": True}, "tumour.size_mm", "in_situ_only is true"),
    # AJCC 8: T4a-d are invasive carcinoma of any size; size 0 is no invasive tumour (T0)
    ({"tumour.size_mm": 0.0, "tumour.t_extension": "inflammatory"}, "tumour.size_mm", "t_extension is 'inflammatory'"),
])
def test_invalid_rows_name_the_column(change: dict[str, Any], field: str, message: str) -> None:
    found = problems({**ROW, **change})
    assert any(f == field and message in m for f, m in found), found


def test_same_rules_as_parse_case() -> None:
    """Whatever parse_case says about a contract field, the row says about the column of that name."""
    with pytest.raises(CaseValidationError) as direct:
        parse_case({"age": 12, "tumour": {"er_percent": 120}})
    assert problems({"age": 12, "tumour.er_percent": 120}) == [(p.field, p.message) for p in direct.value.problems]


def test_node_counts_of_a_planned_operation_may_stay_unknown() -> None:
    case = case_from_row({"id": "p", "tumour.size_mm": 12, "surgery.status": "planned",
                          "nodes.macrometastatic": None, "nodes.micrometastatic": None, "nodes.itc": None})
    assert case.nodes is None


def test_unknown_and_duplicate_columns_are_rejected_for_the_whole_file() -> None:
    with pytest.raises(CohortFormatError, match=r"unknown column 'tumour\.grde' \(did you mean 'tumour\.grade'\?\)"):
        check_columns(["id", "tumour.grde"])
    with pytest.raises(CohortFormatError, match="appears twice"):
        check_columns(["id", "id"])
    check_columns(sorted(allowed_columns()))


def test_columns_follow_the_case_model() -> None:
    assert {"id", "age", "tumour.her2_ish_copies", "nodes.internal_mammary", "treatments.heart_dose_gy",
            "neoadjuvant_therapy.agents", "surgery.date"} <= set(case_columns())
    assert not any(c.startswith("nodes.deposits.") for c in case_columns())


def test_docs_column_table_lists_every_input_column() -> None:
    output_part = DOCS.read_text(encoding="utf-8").split("## Output", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_0-9.]+)` \|", output_part, re.MULTILINE))
    assert documented == set(allowed_columns())


def test_registry_spellings_are_converted_explicitly_and_nothing_else() -> None:
    """docs/cohort.md: CSV booleans true/false, 1/0, yes/no; integers 2 or 2.0; everything else is an error."""
    for text, expected in (("yes", True), ("No", False), ("1", True), ("0", False), ("TRUE", True)):
        case = case_from_row({**ROW, "tumour.lvi": text})
        assert case.tumour is not None and case.tumour.lvi is expected, text
    parquet = case_from_row({**ROW, "tumour.lvi": 1, "tumour.grade": 2.0, "nodes.examined": 3.0})
    assert parquet.tumour is not None and parquet.tumour.lvi is True and parquet.tumour.grade == 2
    assert ("tumour.lvi", "must be true or false (true/false, 1/0 or yes/no in CSV); got 'maybe'") in \
        problems({**ROW, "tumour.lvi": "maybe"})
    assert ("tumour.grade", "must be a whole number; got 2.5") in problems({**ROW, "tumour.grade": "2.5"})
    assert ("tumour.size_mm", "must be a number; got '18 mm'") in problems({**ROW, "tumour.size_mm": "18 mm"})
    assert problems({**ROW, "tumour.lvi": 2})[0][0] == "tumour.lvi"


def test_json_cells_are_decoded_strictly_and_name_the_column() -> None:
    duplicated = '[{"node": 1, "node": 2, "size_mm": 1.2, "method": "he"}]'
    found = problems({k: v for k, v in ROW.items() if k not in COUNT_COLUMNS} | {"nodes.deposits": duplicated})
    assert found[0][0] == "nodes.deposits[0].node" and "more than once" in found[0][1]
    assert problems({**ROW, "comorbidities": '["a", NaN]'})[0][0] == "comorbidities[1]"


def test_every_list_field_of_the_contract_is_a_list_column() -> None:
    """Registry exports carry lists as JSON text (CSV): the sentinel tracers and the declined treatments of the
    patient-context extension read like comorbidities and neoadjuvant agents."""
    case = case_from_row({"id": "l1", "nodes.procedure": "slnb", "nodes.examined": 3, "nodes.macrometastatic": 0,
                          "nodes.micrometastatic": 0, "nodes.itc": 0,
                          "nodes.tracers": '["radioisotope", "blue_dye"]',
                          "preferences.declined": '["whole_breast_rt"]'})
    assert case.nodes is not None and case.nodes.tracers == ["radioisotope", "blue_dye"]
    assert case.preferences is not None and case.preferences.declined == ["whole_breast_rt"]


def _tricky_rows() -> list[dict[str, Any]]:
    """The rows of the tests above (valid, invalid, CSV spellings, JSON cells), plus ids and dates as
    registries store them."""
    changes: list[dict[str, Any]] = [
        {}, {"tumour.grade": 4}, {"tumour.size_mm": 300}, {"menopausal_status": "postmenopausal"},
        {"nodes.micrometastatic": None}, {"nodes.micrometastatic": 1.5}, {"nodes.itc": -1}, {"nodes.examined": 1},
        {"nodes.procedure": "none", "nodes.examined": None},
        {"nodes.macrometastatic": None, "nodes.micrometastatic": None, "nodes.itc": None},
        {"nodes.deposits": "[]"}, {"nodes.deposits": "[{"}, {"tumour.in_situ_only": True},
        {"nodes.extranodal_extension": "yes", "nodes.micrometastatic": 0, "nodes.itc": 0},
        {"tumour.lvi": "maybe"}, {"tumour.lvi": " Yes "}, {"tumour.grade": "2.5"}, {"tumour.size_mm": "18 mm"},
        {"tumour.lvi": 1}, {"tumour.lvi": 2}, {"tumour.grade": 2.0, "nodes.examined": 3.0},
        {"tumour.grade": math.nan, "tumour.ki67_percent": ""}, {"id": 1234}, {"id": 12.0}, {"id": " r 7 "},
        {"id": None, "age": 12}, {"comorbidities": '["a", NaN]'}, {"comorbidities": '["asthma"]'},
        {"surgery.date": "2026-01-05"}, {"surgery.date": "5.1.2026"},
    ]
    return [{**ROW, **change} for change in changes]


def test_a_whole_batch_is_validated_as_each_of_its_rows_alone() -> None:
    """cases_from_batch converts cells column by column; every row must come out as the per-row code gave it
    (frozen in _frozen_case_from_row: the same case, or the same problems in the same order)."""
    rows = _tricky_rows()
    columns = sorted({k for row in rows for k in row}, key=lambda k: (k not in ROW, k))
    as_text = [{k: (None if row.get(k) is None else str(row[k])) for k in columns} for row in rows]
    batches = [pa.RecordBatch.from_pylist([row]) for row in rows]  # each row with its own Arrow types
    batches.append(pa.RecordBatch.from_pylist(as_text))  # CSV: every cell text
    batches += [b.to_batches()[0] for b in (synthetic_registry(600, seed=17, invalid_fraction=0.05),)]
    listed = {k: v for k, v in ROW.items() if k not in COUNT_COLUMNS}
    deposits = [[{"node": 1, "size_mm": 1.2, "method": "he", "cells": None}], None,
                [{"node": 1, "size_mm": None, "method": "ihc", "cells": 50}, {"node": 2, "size_mm": 9.0,
                                                                             "method": "he", "cells": None}]]
    batches.append(pa.RecordBatch.from_pylist([{**listed, "nodes.deposits": d,
                                                "surgery.date": dt.datetime(2026, 1, 5)} for d in deposits]))
    for batch in batches:
        ids, parsed = cases_from_batch(batch)
        assert parsed == row_by_row(batch.to_pylist())
        assert ids == [raw_id(row) for row in batch.to_pylist()]
    assert sum(isinstance(p, list) for b in batches for p in cases_from_batch(b)[1]) > 30


@pytest.mark.parametrize("invisible", ["\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad", "\U000e0041"])
def test_invisible_format_characters_in_cells_are_refused_naming_the_column(invisible: str) -> None:
    """Trojan Source (CVE-2021-42574): a registry id or comorbidity with a bidi control or a zero-width character
    displays as something it is not; the row is refused with its column named (the case model's rule), never
    cleaned silently, in a row and in a batch (CSV text or Parquet lists) alike."""
    row = {**ROW, "id": f"r{invisible}1"}
    assert any(f == "id" and "invisible" in m for f, m in problems(row))
    listed = {**ROW, "comorbidities": ["asthma", f"copd{invisible}"]}
    assert any(f == "comorbidities[1]" and "invisible" in m for f, m in problems(listed))
    for batch in (pa.RecordBatch.from_pylist([{k: str(v) for k, v in row.items()}]),
                  pa.RecordBatch.from_pylist([listed])):
        (outcome,) = cases_from_batch(batch)[1]
        assert isinstance(outcome, list) and outcome[0].field in ("id", "comorbidities[1]")
        assert "invisible" in outcome[0].message
