"""Shared base of the PREDICT versions and the result container.

A version subclass declares only its prognostic index, other-cause index, baselines and
treatment terms; :meth:`PredictModel.run` builds the cumulative treatment columns in the
version's display order and runs the competing-risks recursion in memory-bounded chunks.

Example:
    >>> from micromets.prognosis import PredictInputs, Treatments, predict
    >>> x = PredictInputs.build(age=[60], size_mm=[15], nodes=[0.5], grade=[2],
    ...                         screen_detected=[0], er=[1], her2=[0], ki67=[0], pr=[1])
    >>> r = predict(x, Treatments(endocrine=True), version="3.0")
    >>> r.column_order
    ('surgery', 'endocrine')
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from ._coefficients import Coefficients, load_coefficients
from ._competing import competing_risks
from ._elementwise import Flag, Real, any_true
from ._inputs import (
    BoolArray,
    FloatArray,
    PredictInputs,
    PredictRow,
    TreatmentArrays,
    TreatmentRow,
    Treatments,
)

__all__ = ["N_YEARS", "PredictModel", "PredictResult", "TREATMENT_NAMES", "Terms"]

N_YEARS = 15
TREATMENT_NAMES: tuple[str, ...] = (
    "endocrine",
    "radiotherapy",
    "chemotherapy",
    "trastuzumab",
    "bisphosphonate",
)
_DEFAULT_CHUNK = 4_096
_YEARS = np.arange(1, N_YEARS + 1, dtype=np.int64)  # PredictResult.years: one read-only array shared by all
_YEARS.setflags(write=False)


@dataclass(slots=True)  # not frozen: built once per block and only read (a frozen __init__ costs 0.5 µs more)
class Terms:
    """Per-patient model terms a version declares for a batch (all arrays of length n; Python floats and bools
    for one patient, from a version with ``scalar_terms``).

    ``prognostic_index`` is the breast-cancer log relative hazard without treatment (it includes
    any baseline re-centring), ``other_index`` the other-cause index without treatment,
    ``treatment_log_hr`` the constant log hazard ratio of each treatment (0 where not given or
    not applicable) and ``extended_endocrine_log_hr`` the extra log hazard ratio of extended
    endocrine therapy from ``extended_from_year`` on (0 where not applicable).

    Optional, for versions that need them (v3.2); the defaults leave v2.2/v3.0 on their own path:

    * ``treatment_other_log_hr``: other-cause log hazard ratio of a treatment, applied **per
      column** like the breast terms (every column that contains the treatment). Without it the
      other-cause index is the same for every column, surgery only included.
    * ``breast_log_hr_by_year``: (15, n) breast-cancer log hazard ratio that varies by year (e.g.
      HER2 in ER-positive disease in v3.2), common to all columns; it reweights the annual
      baseline increments, ``H(t) = sum_{k<=t} dH0(k) exp(term(k))``.
    """

    prognostic_index: Real
    other_index: Real
    treatment_log_hr: Mapping[str, Real]
    extended_endocrine_log_hr: Real
    extended_from_year: int
    warnings: Mapping[str, Flag]
    treatment_other_log_hr: Mapping[str, Real] = field(default_factory=dict)
    breast_log_hr_by_year: FloatArray | None = None


@dataclass(frozen=True, slots=True)
class PredictResult:
    """Output of :func:`micromets.prognosis.predict` (fractions, not percentages).

    Arrays are (n, n_columns, 15) (transposed views of column-major (n_columns, 15, n) storage, so not
    C-contiguous for n > 1; use ``np.ascontiguousarray`` if a contiguous copy is needed); column ``k`` applies treatments 1..k of ``column_order``
    at once (column 0 = surgery only). ``overall_survival = 1 - breast_cancer_mortality -
    other_mortality``. Per-patient warnings are stored as a boolean mask and rendered on demand
    by :attr:`warnings`.
    """

    version: str
    years: NDArray[np.int64]
    column_order: tuple[str, ...]
    overall_survival: FloatArray
    breast_cancer_mortality: FloatArray
    other_mortality: FloatArray
    warning_codes: tuple[str, ...]
    warning_messages: tuple[str, ...]
    warning_mask: BoolArray
    #: (n,) other-cause index of the surgery-only column (see ``PredictModel.surgery_other_survival``).
    other_index: FloatArray | None = None
    #: (3, n_columns, 15, n): the array whose views the three results are (overall survival, breast-cancer and
    #: other-cause mortality), as the engine stores them; ``None`` when they were given separately.
    storage: FloatArray | None = None

    @property
    def n(self) -> int:
        """Number of patients."""
        return int(self.overall_survival.shape[0])

    @property
    def warnings(self) -> list[list[str]]:
        """Per-patient list of short warning strings (empty list when none)."""
        messages = self.warning_messages
        # One conversion to Python bools: cheaper than np.nonzero and its bookkeeping for small batches.
        return [[m for m, on in zip(messages, flags, strict=True) if on] for flags in self.warning_mask.tolist()]

    def column(self, name: str) -> int:
        """Index of a column by name (e.g. ``"chemotherapy"``)."""
        try:
            return self.column_order.index(name)
        except ValueError:
            raise KeyError(f"column {name!r} not in {self.column_order}") from None

    def incremental_os_benefit(self) -> FloatArray:
        """(n, n_columns-1, 15): OS gain of each column over the previous one (display order)."""
        # What np.diff(axis=1) computes (the same subtraction), without its generic-axis overhead.
        out: FloatArray = self.overall_survival[:, 1:, :] - self.overall_survival[:, :-1, :]
        return out

    def cumulative_os_benefit(self) -> FloatArray:
        """(n, n_columns-1, 15): OS gain of each cumulative column over surgery only."""
        return self.overall_survival[:, 1:, :] - self.overall_survival[:, :1, :]

    def at_years(self, years: Iterable[int] = (5, 10, 15)) -> dict[str, NDArray[np.generic]]:
        """Values at the given years (1..15).

        Returns a dict with ``"years"`` and, each of shape (n, n_columns[-1], len(years)):
        ``"overall_survival"``, ``"breast_cancer_mortality"``, ``"other_mortality"``,
        ``"incremental_os_benefit"``, ``"cumulative_os_benefit"``.

        Example: ``result.at_years((10,))["overall_survival"][i, 0, 0]`` = 10-year OS of
        patient ``i`` with surgery only.
        """
        ys = np.asarray(list(years), dtype=np.int64)
        if ys.size == 0 or bool(((ys < 1) | (ys > N_YEARS)).any()):
            raise ValueError(f"years must be within 1..{N_YEARS}")
        idx = ys - 1
        return {
            "years": ys,
            "overall_survival": self.overall_survival[:, :, idx],
            "breast_cancer_mortality": self.breast_cancer_mortality[:, :, idx],
            "other_mortality": self.other_mortality[:, :, idx],
            "incremental_os_benefit": self.incremental_os_benefit()[:, :, idx],
            "cumulative_os_benefit": self.cumulative_os_benefit()[:, :, idx],
        }


def _reweighted_cumulative(cumulative: FloatArray, log_hr_by_year: FloatArray) -> FloatArray:
    """(T, b) ``sum_{k<=t} (H0(k) - H0(k-1)) exp(log_hr(k))`` with ``H0(0) = 0``."""
    # np.diff(cumulative, axis=0, prepend=0.0), written out: the first increment is H0(1) - 0 = H0(1).
    increments = np.empty_like(cumulative)
    increments[0] = cumulative[0]
    np.subtract(cumulative[1:], cumulative[:-1], out=increments[1:])
    out: FloatArray = np.cumsum(increments * np.exp(np.ascontiguousarray(log_hr_by_year)), axis=0)
    return out


def _running_sums(first: Real, steps: list[Real]) -> list[Real]:
    """``first``, then each step added to the sum before it, in order.

    The same additions for a batch (arrays of length b) and for one patient (floats, summed in Python, then put
    into one array with the rest: a numpy call per step costs ~0.5 µs for a batch of one).
    """
    sums = [first]
    for step in steps:
        sums.append(sums[-1] + step)
    return sums


@cache  # a handful of (columns, harms) combinations per version
def _other_cause_runs(active: tuple[str, ...], harmful: tuple[str, ...]) -> tuple[slice, ...]:
    """Runs of consecutive cumulative columns that share one other-cause index.

    Column 0 is surgery only; a new run starts at each column whose treatment has an
    other-cause term. E.g. v3.2 ``(radiotherapy, endocrine, chemotherapy, trastuzumab,
    bisphosphonate)`` -> ``(slice(0, 1), slice(1, 3), slice(3, 6))``.

    >>> _other_cause_runs(("radiotherapy", "endocrine", "chemotherapy"), ("radiotherapy", "chemotherapy"))
    (slice(0, 1, None), slice(1, 3, None), slice(3, 4, None))
    """
    names = set(harmful)
    starts = [0, *(k for k, name in enumerate(active, start=1) if name in names)]
    return tuple(slice(a, b) for a, b in zip(starts, [*starts[1:], len(active) + 1], strict=True))


@cache  # as _other_cause_runs
def _other_cause_column_runs(active: tuple[str, ...], harmful: tuple[str, ...]) -> NDArray[np.intp]:
    """The run (of :func:`_other_cause_runs`) of each cumulative column, e.g. ``[0, 1, 1, 2]``."""
    runs = _other_cause_runs(active, harmful)
    out = np.array([j for j, run in enumerate(runs) for _ in range(run.start, run.stop)], dtype=np.intp)
    out.setflags(write=False)
    return out


class PredictModel(ABC):
    """Base class of a PREDICT version.

    Subclasses set ``version``, ``treatment_order`` (display order, surgery excluded) and
    ``warning_messages`` and implement :meth:`terms` and the two baselines.
    """

    version: ClassVar[str]
    treatment_order: ClassVar[tuple[str, ...]]
    #: Whether :meth:`terms` also takes one patient as Python floats (``PredictRow``), as it does for a batch
    #: of one: far cheaper than numpy calls on 1-element arrays, and the same figures (``_elementwise``).
    scalar_terms: ClassVar[bool] = False
    warning_messages: ClassVar[Mapping[str, str]] = {
        "age_under_25": "age < 25: outside the fitted range, extrapolated (not clamped, as in the R code)",
    }

    def __init__(self) -> None:
        self.coefficients: Coefficients = load_coefficients(self.version).coefficients

    # ---- what a version declares -------------------------------------------------------
    @abstractmethod
    def terms(self, x: PredictInputs, tx: TreatmentArrays) -> Terms:
        """Prognostic index, other-cause index, treatment terms and warnings for a batch."""

    @abstractmethod
    def baseline_breast_cumulative(self, years: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Baseline cumulative BC hazard at ``years`` for (ER-negative, ER-positive)."""

    @abstractmethod
    def baseline_other_cumulative(self, years: FloatArray) -> FloatArray:
        """Baseline cumulative other-cause hazard at ``years``."""

    # ---- shared machinery --------------------------------------------------------------
    def base_warnings(self, x: PredictInputs | PredictRow) -> dict[str, Flag]:
        """Warnings common to all versions."""
        return {"age_under_25": x.age < 25.0}

    def active_treatments(self, tx: TreatmentArrays | TreatmentRow) -> tuple[str, ...]:
        """Treatments of this version switched on for at least one patient, in display order."""
        given = {"endocrine": tx.endocrine, "radiotherapy": tx.radiotherapy,
                 "chemotherapy": tx.chemotherapy_generation > 0.0, "trastuzumab": tx.trastuzumab,
                 "bisphosphonate": tx.bisphosphonate}
        return tuple([name for name in self.treatment_order if any_true(given[name])])

    def surgery_other_survival(self, x: PredictInputs, treatments: Treatments) -> FloatArray:
        """(n, 15) net other-cause survival ``S_oth`` of the surgery-only column, years 1-15.

        Deaths from other causes only, as if breast cancer could not kill (the model's own
        ``S_oth`` before the competing-risks split). v3.0 shares one other-cause index across
        columns, so its treatment harms are included here; v3.2's per-column harms are not.
        """
        tx = treatments.broadcast(x.n)
        return self.other_survival_from_index(np.asarray(self.terms(x, tx).other_index))  # arrays for a batch

    def other_survival_from_index(self, index: FloatArray) -> FloatArray:
        """(n, 15) net other-cause survival for an other-cause index (e.g. ``PredictResult.other_index``)."""
        base = self._baselines()[2]
        out: FloatArray = np.exp(-base[None, :] * np.exp(index)[:, None])
        return out

    def _baselines(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Baseline cumulative hazards at years 1-15: breast (ER-negative, ER-positive) and other causes.

        Functions of the coefficients only: computed once per model object (read-only arrays, shared).
        """
        cached: tuple[FloatArray, FloatArray, FloatArray] | None = self.__dict__.get("_baseline_arrays")
        if cached is None:
            years = np.arange(1, N_YEARS + 1, dtype=np.float64)
            cum_neg, cum_pos = self.baseline_breast_cumulative(years)
            cached = (cum_neg, cum_pos, self.baseline_other_cumulative(years))
            for array in cached:
                array.setflags(write=False)
            self.__dict__["_baseline_arrays"] = cached
        return cached

    def _negated_baselines(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """:meth:`_baselines`, negated (what :func:`competing_risks` takes), once per model object."""
        cached: tuple[FloatArray, FloatArray, FloatArray] | None = self.__dict__.get("_negated_baseline_arrays")
        if cached is None:
            cum_neg, cum_pos, other = (np.negative(array) for array in self._baselines())
            cached = (cum_neg, cum_pos, other)
            for array in cached:
                array.setflags(write=False)
            self.__dict__["_negated_baseline_arrays"] = cached
        return cached

    def _negated_baselines_of_one(self, er_positive: bool,
                                  log_hr_by_year: FloatArray | None) -> tuple[FloatArray, FloatArray]:
        """(T, 1) negated baseline cumulative breast-cancer hazard of one patient, computed as for a batch, and
        (2, 1, T, 1) the same above the negated other-cause baseline (what :func:`competing_risks` multiplies in
        one call as ``both_baselines``).

        A function of her ER status and by-year term alone, of which a version has a handful (v3.2: three HER2
        codes): each is computed once per model object (read-only, shared) instead of in ~8 numpy calls a patient.
        """
        key = (er_positive, None if log_hr_by_year is None else log_hr_by_year.tobytes())
        cache: dict[tuple[bool, bytes | None], tuple[FloatArray, FloatArray]] = self.__dict__.setdefault(
            "_baselines_of_one", {})
        found = cache.get(key)
        if found is None:
            cum_neg, cum_pos, other = self._negated_baselines()
            breast = np.where(np.array([[er_positive]]), cum_pos[:, None], cum_neg[:, None])
            if log_hr_by_year is not None:
                breast = _reweighted_cumulative(breast, log_hr_by_year)
            found = (breast, np.stack((breast, other[:, None])).reshape(2, 1, N_YEARS, 1))
            for array in found:
                array.setflags(write=False)
            if len(cache) < 64:  # bounded, whatever a version's by-year term
                cache[key] = found
        return found

    def _warning_texts(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        texts: tuple[str, ...] | None = self.__dict__.get("_texts")  # as the codes: fixed per model object
        if texts is None:
            texts = tuple(self.warning_messages[c] for c in codes)
            self.__dict__["_texts"] = texts
        return texts

    def _warning_codes(self) -> tuple[str, ...]:
        # The codes a version declares are fixed names: asked once (of an empty batch) per model object.
        codes: tuple[str, ...] | None = self.__dict__.get("_codes")
        if codes is None:
            empty = PredictInputs.from_matrix(np.empty((len(PredictRow._fields), 0)))
            codes = tuple(self.terms(empty, Treatments().broadcast(0)).warnings)
            self.__dict__["_codes"] = codes
        return codes

    def run(
        self,
        x: PredictInputs,
        treatments: Treatments,
        *,
        chunk_size: int = _DEFAULT_CHUNK,
        workers: int = 1,
    ) -> PredictResult:
        """Compute all cumulative treatment columns for a batch (see :class:`PredictResult`)."""
        if chunk_size < 1:
            raise ValueError("chunk_size must be >= 1")
        if workers < 1:
            raise ValueError("workers must be >= 1")
        n = x.n
        tx = treatments.broadcast(n)
        if n == 1 and self.scalar_terms:  # one patient: scored as Python floats (see ``scalar_terms``)
            return self._compute(None, None, (x.row(0), tx.row(0)), 1, chunk_size, workers)
        return self._compute(x, tx, None, n, chunk_size, workers)

    def run_one(self, x: PredictRow, tx: TreatmentRow) -> PredictResult:
        """:meth:`run` for a batch of one, given as Python values (checked: ``PredictRow.checked`` and
        ``Treatments.one``), without building the batch's arrays first."""
        if not self.scalar_terms:
            inputs = PredictInputs.from_matrix(np.array(x, dtype=np.float64).reshape(len(x), 1))
            return self.run(inputs, Treatments(*tx))
        return self._compute(None, None, (x, tx), 1, _DEFAULT_CHUNK, 1)

    def _compute(
        self,
        x: PredictInputs | None,
        tx: TreatmentArrays | None,
        one: tuple[PredictRow, TreatmentRow] | None,
        n: int,
        chunk_size: int,
        workers: int,
    ) -> PredictResult:
        """:meth:`run` of a batch (``x``, ``tx``) or of one patient as Python values (``one``)."""
        active = self.active_treatments(tx if one is None else one[1])  # type: ignore[arg-type]
        codes = self._warning_codes()
        # column-major storage (3, C, T, n) of overall survival, breast-cancer and other deaths; exposed as
        # (n, C, T) views (for one patient, C-contiguous ones)
        storage = np.empty((3, len(active) + 1, N_YEARS, n))
        if one is not None:  # one block of her Python values: no slices, row assignments or thread pool to set up
            terms = self.terms(*one)  # type: ignore[arg-type]  # scalar_terms: takes a row
            self._fill_block(terms, active, *self._negated_baselines_of_one(one[0].er == 1.0,
                                                                            terms.breast_log_hr_by_year), storage)
            warnings = terms.warnings
            return self._result(active, codes, storage, np.array([[warnings[code] for code in codes]], dtype=np.bool_),
                                np.array([terms.other_index], dtype=np.float64))

        assert x is not None and tx is not None
        neg_br, pos_br, _ = self._negated_baselines()
        er_pos = x.er == 1.0
        mask = np.zeros((n, len(codes)), dtype=np.bool_)
        other_index = np.empty(n)

        def block(start: int) -> None:
            sl = slice(start, min(start + chunk_size, n))
            whole = sl.start == 0 and sl.stop == n  # one block: no views needed
            terms = self.terms(x if whole else x.rows(sl), tx if whole else tx.rows(sl))
            other_index[sl] = terms.other_index
            baseline = np.where(er_pos[sl], pos_br[:, None], neg_br[:, None])
            if terms.breast_log_hr_by_year is not None:
                baseline = _reweighted_cumulative(baseline, terms.breast_log_hr_by_year)
            self._fill_block(terms, active, baseline, None, storage[..., sl])
            if codes:  # one assignment for every code
                mask[sl] = np.array([terms.warnings[code] for code in codes]).T

        starts = range(0, n, chunk_size)
        if workers == 1 or n <= chunk_size:
            for s in starts:
                block(s)
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(block, starts))
        return self._result(active, codes, storage, mask, other_index)

    def _fill_block(self, terms: Terms, active: tuple[str, ...], baseline: FloatArray,
                    both_baselines: FloatArray | None, out: FloatArray) -> None:
        """Run the competing risks of one block of patients into ``out`` (3, C, T, b), given their negated
        baseline cumulative breast-cancer hazard (T, b); ``both_baselines`` (that of
        :meth:`_negated_baselines_of_one`) for one patient, whose terms are Python values."""
        one = both_baselines is not None
        n_cols, m = len(active) + 1, out.shape[3]
        harmful = tuple(terms.treatment_other_log_hr)
        runs = _other_cause_runs(active, harmful) if harmful else None
        # One array: the breast-cancer log hazard of every column (the treatment terms added column after
        # column), then the other-cause index of every run of columns (its harms added run after run).
        breast = _running_sums(terms.prognostic_index, [terms.treatment_log_hr[name] for name in active])
        other = _running_sums(terms.other_index, [] if runs is None else [
            terms.treatment_other_log_hr[active[run.start - 1]] for run in runs[1:]])
        column_runs = None if runs is None else _other_cause_column_runs(active, harmful)
        if one:
            # One patient: each column gets its run's index (the same float), so that no numpy call below
            # broadcasts or gathers a run to its columns (~3 µs each for a batch of one).
            other = [other[j] for j in ([0] * n_cols if column_runs is None else column_runs.tolist())]
            column_runs = None
        log_hazards = np.array([*breast, *other], dtype=np.float64).reshape(-1, m)
        # The extended-endocrine term acts in every column from the endocrine one on (none: no late term).
        late: FloatArray | None = None
        if "endocrine" in active and any_true(terms.extended_endocrine_log_hr != 0.0):
            late = np.zeros((n_cols, m))
            late[active.index("endocrine") + 1 :] = terms.extended_endocrine_log_hr
        competing_risks(log_hazards, n_cols, late, terms.extended_from_year, baseline, self._negated_baselines()[2],
                        out, column_runs, both_baselines)

    def _result(self, active: tuple[str, ...], codes: tuple[str, ...], storage: FloatArray, mask: BoolArray,
                other_index: FloatArray) -> PredictResult:
        survival, breast, other = storage.transpose(0, 3, 1, 2)  # (n, C, T) views, one transpose for the three
        return PredictResult(
            version=self.version,
            years=_YEARS,
            column_order=("surgery", *active),
            overall_survival=survival,
            breast_cancer_mortality=breast,
            other_mortality=other,
            warning_codes=codes,
            warning_messages=self._warning_texts(codes),
            warning_mask=mask,
            other_index=other_index,
            storage=storage,
        )
