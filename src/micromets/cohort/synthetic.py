"""A reproducible synthetic registry in the cohort input format, for tests, benchmarks and demos.

Seeded and vectorised (a million rows in about a second), written block by block (bounded memory). Distributions are plausible for a screened
European population, not fitted to any registry: ER-positive ~80 %, HER2-positive ~15 %, about a third
of the patients with micrometastatic nodes only, a quarter with a macrometastasis; ~70 % of rows name
the treatments given; some unknowns everywhere (null, never 0); a few neoadjuvant, metastatic and
pre-operative rows; optionally a fraction of invalid rows (out-of-range values, counts above the nodes
examined) to exercise error records.

    >>> t = synthetic_registry(1000, seed=7)
    >>> t.num_rows, t.column("id")[0].as_py()
    (1000, 'S7-0000000')
    >>> micro_only = [m > 0 and a == 0 for m, a in zip(t.column("nodes.micrometastatic").to_pylist(),
    ...                                                  t.column("nodes.macrometastatic").to_pylist())
    ...               if m is not None]
    >>> 0.28 < sum(micro_only) / len(micro_only) < 0.40
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from numpy.typing import NDArray

__all__ = ["BLOCK_ROWS", "synthetic_registry", "write_synthetic"]

Mask = NDArray[np.bool_]


def _pick(rng: np.random.Generator, n: int, options: dict[str, float]) -> NDArray[Any]:
    keys = list(options)
    p = np.asarray(list(options.values()), dtype=np.float64)
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _col(values: NDArray[Any], null: Mask, kind: pa.DataType) -> pa.Array:
    if kind == pa.string():
        values = values.astype(object)
        values[null] = None
        return pa.array(values, type=kind)
    return pa.array(values, mask=null, type=kind)


def synthetic_registry(n: int, seed: int = 2026, invalid_fraction: float = 0.0, *, start: int = 0) -> pa.Table:
    """``n`` synthetic registry rows (an Arrow table in the cohort input format), reproducible by ``seed``.

    ``start`` numbers the rows of a later block of a large registry (ids ``S{seed}-{start}``...) and seeds
    its own random stream, so blocks are independent and a file of any size is written block by block.
    """
    rng = np.random.default_rng(seed if start == 0 else [seed, start])

    def unknown(p: float) -> Mask:
        return rng.random(n) < p

    cols: dict[str, pa.Array] = {}
    none = np.zeros(n, dtype=bool)

    cols["id"] = pa.array([f"S{seed}-{i:07d}" for i in range(start, start + n)], type=pa.string())
    age = np.clip(np.round(rng.normal(61, 12, n)), 25, 92)
    cols["age"] = _col(age, unknown(0.005), pa.float64())
    meno = np.where(age < 46, "pre", np.where(age < 54, np.where(rng.random(n) < 0.5, "peri", "post"), "post"))
    cols["menopausal_status"] = _col(meno, unknown(0.05), pa.string())
    cols["detection"] = _col(_pick(rng, n, {"screening": 0.47, "symptomatic": 0.53}), unknown(0.05), pa.string())

    size = np.clip(np.round(rng.lognormal(np.log(17), 0.6, n), 1), 0.5, 150)
    cols["tumour.size_mm"] = _col(size, unknown(0.02), pa.float64())
    cols["tumour.t_extension"] = _col(_pick(rng, n, {"none": 0.985, "skin": 0.01, "chest_wall": 0.005}),
                                      unknown(0.01), pa.string())
    cols["tumour.histology"] = _col(_pick(rng, n, {"ductal": 0.75, "lobular": 0.15, "mixed": 0.05, "other": 0.05}),
                                    unknown(0.02), pa.string())
    grade = rng.choice([1, 2, 3], size=n, p=[0.2, 0.46, 0.34])
    cols["tumour.grade"] = _col(grade, unknown(0.03), pa.int16())
    er_class = rng.choice(3, size=n, p=[0.79, 0.03, 0.18])  # positive, low, negative
    er = np.where(er_class == 0, rng.integers(11, 101, n), np.where(er_class == 1, rng.integers(1, 11, n), 0))
    cols["tumour.er_percent"] = _col(er.astype(np.float64), unknown(0.02), pa.float64())
    pr = np.where((er_class == 0) & (rng.random(n) < 0.8), rng.integers(1, 101, n), 0)
    cols["tumour.pr_percent"] = _col(pr.astype(np.float64), unknown(0.03), pa.float64())
    ihc = _pick(rng, n, {"0": 0.25, "ultralow": 0.05, "1+": 0.3, "2+": 0.26, "3+": 0.14})
    cols["tumour.her2_ihc"] = _col(ihc, unknown(0.02), pa.string())
    tested = (ihc == "2+") & (rng.random(n) < 0.85)
    amplified = rng.random(n) < 0.2
    ratio = np.round(np.where(amplified, rng.uniform(2.2, 6, n), rng.uniform(0.9, 1.9, n)), 2)
    copies = np.round(np.where(amplified, rng.uniform(6, 15, n), rng.uniform(1.5, 3.9, n)), 1)
    cols["tumour.her2_ish_ratio"] = _col(ratio, ~tested, pa.float64())
    cols["tumour.her2_ish_copies"] = _col(copies, ~tested, pa.float64())
    cols["tumour.ki67_percent"] = _col(np.clip(np.round(rng.lognormal(np.log(15), 0.8, n)), 1, 95),
                                       unknown(0.1), pa.float64())
    cols["tumour.lvi"] = _col(rng.random(n) < 0.2, unknown(0.1), pa.bool_())

    cols["clinical_nodes"] = _col(_pick(rng, n, {"cN0": 0.93, "cN1": 0.07}), unknown(0.02), pa.string())
    cols["metastasis"] = _col(_pick(rng, n, {"cM0": 0.985, "cM1": 0.015}), unknown(0.02), pa.string())
    neo = rng.random(n) < 0.04
    cols["neoadjuvant"] = _col(neo, none, pa.bool_())
    cols["neoadjuvant_therapy.pre_treatment_size_mm"] = _col(np.round(size * 1.6, 1), ~neo, pa.float64())
    cols["neoadjuvant_therapy.pre_treatment_clinical_nodes"] = _col(
        _pick(rng, n, {"cN0": 0.5, "cN1": 0.5}), ~neo, pa.string())
    planned = rng.random(n) < 0.02
    cols["surgery.breast"] = _col(_pick(rng, n, {"bcs": 0.65, "mastectomy": 0.35}), none, pa.string())
    cols["surgery.status"] = _col(np.where(planned, "planned", "done"), none, pa.string())

    procedure = _pick(rng, n, {"slnb": 0.72, "slnb_then_alnd": 0.1, "alnd": 0.16, "none": 0.02})
    no_nodes = planned | (procedure == "none")
    examined = np.where(procedure == "slnb", rng.integers(1, 6, n), rng.integers(8, 26, n))
    nodal = rng.choice(4, size=n, p=[0.335, 0.25, 0.07, 0.345])  # micro only, macro, ITC only, negative
    micro = np.where(nodal == 0, rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05]),
                     np.where(nodal == 1, rng.choice([0, 1], size=n, p=[0.7, 0.3]), 0))
    macro = np.where(nodal == 1, rng.choice([1, 2, 3, 5, 11], size=n, p=[0.55, 0.25, 0.1, 0.07, 0.03]), 0)
    itc = np.where(nodal == 2, 1, 0)
    examined = np.maximum(examined, micro + macro + itc)
    cols["nodes.procedure"] = _col(procedure, planned, pa.string())
    cols["nodes.examined"] = _col(examined, no_nodes, pa.int16())
    for name, count in (("nodes.macrometastatic", macro), ("nodes.micrometastatic", micro), ("nodes.itc", itc)):
        cols[name] = _col(count, no_nodes, pa.int16())
    ene = (macro > 0) & (rng.random(n) < 0.15)
    cols["nodes.extranodal_extension"] = _col(ene, no_nodes | (macro + micro == 0) | unknown(0.1), pa.bool_())

    er_pos = er_class < 2
    her2_pos = (ihc == "3+") | (tested & amplified)
    rs_given = er_pos & ~her2_pos & (rng.random(n) < 0.25)
    cols["oncotype_rs"] = _col(np.round(rng.beta(2, 8, n) * 60).astype(np.int16), ~rs_given, pa.int16())
    cols["smoker"] = _col(rng.random(n) < 0.12, unknown(0.2), pa.bool_())

    no_tx = rng.random(n) < 0.3  # these rows let the exact path evaluate what the recommendations name
    chemo = np.where((grade == 3) | (macro > 0) | ~er_pos | her2_pos, "third_gen", "none")
    radio = (cols["surgery.breast"].to_numpy(zero_copy_only=False) == "bcs") | (macro > 0)
    cols["treatments.endocrine"] = _col(er_pos, no_tx, pa.bool_())
    cols["treatments.endocrine_years"] = _col(rng.choice([5, 10], size=n, p=[0.8, 0.2]), no_tx | ~er_pos, pa.int16())
    cols["treatments.chemotherapy"] = _col(chemo, no_tx, pa.string())
    cols["treatments.trastuzumab"] = _col(her2_pos, no_tx, pa.bool_())
    cols["treatments.bisphosphonate"] = _col((meno == "post") & (rng.random(n) < 0.3), no_tx, pa.bool_())
    cols["treatments.radiotherapy"] = _col(radio, no_tx, pa.bool_())
    cols["treatments.heart_dose_gy"] = _col(np.round(rng.uniform(0.3, 4, n), 1),
                                            no_tx | ~radio | (rng.random(n) < 0.5), pa.float64())

    table = pa.table(cols)
    if invalid_fraction > 0:
        table = _spoil(table, rng, invalid_fraction)
    return table


def _spoil(table: pa.Table, rng: np.random.Generator, fraction: float) -> pa.Table:
    """Make a fraction of the rows invalid in one of four ways (range, unit slip, enumeration, counts)."""
    n = table.num_rows
    bad = rng.random(n) < fraction
    how = rng.integers(0, 4, n)
    counts = bad & (how == 3)  # two micrometastatic nodes but one node examined
    replace: dict[str, tuple[Mask, Any]] = {
        "tumour.grade": (bad & (how == 0), 4),
        "tumour.size_mm": (bad & (how == 1), 300.0),
        "tumour.her2_ihc": (bad & (how == 2), "4+"),
        "nodes.procedure": (counts, "slnb"),
        "nodes.examined": (counts, 1),
        "nodes.micrometastatic": (counts, 2),
        "nodes.macrometastatic": (counts, 0),
        "nodes.itc": (counts, 0),
        "surgery.status": (counts, "done"),
    }
    for name, (which, value) in replace.items():
        column = table.column(name).to_pylist()
        for i in np.flatnonzero(which):
            column[i] = value
        index = table.schema.get_field_index(name)
        table = table.set_column(index, name, pa.array(column, type=table.schema.field(name).type))
    return table


#: Rows generated and written at a time by ``write_synthetic``: the generator's memory is bounded by this
#: (a few hundred MB), not by the file's size.
BLOCK_ROWS = 250_000


def write_synthetic(path: Path | str, n: int, seed: int = 2026, invalid_fraction: float = 0.0) -> Path:
    """Write ``n`` synthetic rows to ``path`` (``.parquet`` or ``.csv``), in blocks of ``BLOCK_ROWS`` rows.

    The first block is ``synthetic_registry(min(n, BLOCK_ROWS), seed, invalid_fraction)``; block ``k``
    continues with ``start=k * BLOCK_ROWS``.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_synthetic(pathlib.Path(d) / "r.csv", 5)
    ...     p.read_text().splitlines()[0].startswith('"id","age"')
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise ValueError(f"{path}: write .parquet or .csv")
    writer: Any = None
    try:
        for start in range(0, max(n, 1), BLOCK_ROWS):
            table = synthetic_registry(min(BLOCK_ROWS, n - start), seed, invalid_fraction, start=start)
            if writer is None:
                writer = pacsv.CSVWriter(path, table.schema) if suffix == ".csv" else pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path
