"""Patient and treatment inputs of the PREDICT engine, validated at the boundary.

All patient fields are 1-D ``float64`` arrays of the same length ``n``; unknown values are
``NaN`` where the model allows them. Treatments are arrays of length ``n`` or scalars that
are broadcast.

Example:
    >>> import numpy as np
    >>> x = PredictInputs.build(age=[55.0], size_mm=[18.0], nodes=[0.5], grade=[2.0],
    ...                         screen_detected=[1.0], er=[1.0])
    >>> x.n, bool(np.isnan(x.her2[0]))
    (1, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, NamedTuple, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["BoolArray", "FloatArray", "PredictInputs", "PredictRow", "TreatmentArrays", "TreatmentRow", "Treatments"]

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]


def _as_float_vector(name: str, value: ArrayLike) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric ({exc})") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array (got {arr.ndim} dimensions)")
    return arr


def _check_codes(name: str, arr: FloatArray, allowed: Sequence[float], nan_ok: bool) -> None:
    # A few equality tests: cheaper than np.isin for a batch of one and no slower for a million.
    ok = np.isnan(arr) if nan_ok else np.zeros(arr.shape, dtype=np.bool_)
    for code in allowed:
        ok |= arr == code
    if not bool(ok.all()):
        bad = arr[~ok][0]
        codes = ", ".join(str(a) for a in allowed) + (" or NaN (unknown)" if nan_ok else "")
        raise ValueError(f"{name} must be one of {codes}; got {bad!r}")


#: Per field, in the order of PredictInputs' fields: lowest and highest allowed value, whether it is a code
#: (whole numbers only) and whether NaN (unknown) is allowed. The same rules as :func:`_raise_first_problem`.
_FIELD_RULES: dict[str, tuple[float, float, bool, bool]] = {
    "age": (float(np.nextafter(0.0, 1.0)), float(np.finfo(np.float64).max), False, False),  # > 0, finite
    "size_mm": (float(np.nextafter(0.0, 1.0)), float(np.finfo(np.float64).max), False, False),  # > 0, finite
    "nodes": (0.0, float(np.finfo(np.float64).max), False, False),  # >= 0, finite
    "grade": (1.0, 3.0, True, True),
    "screen_detected": (0.0, 1.0, True, True),
    "er": (0.0, 1.0, True, False),
    "her2": (0.0, 1.0, True, True),
    "ki67": (0.0, 1.0, True, True),
    "pr": (0.0, 1.0, True, True),
    "smoker": (0.0, 1.0, True, True),
    "heart_dose_gy": (0.0, float(np.finfo(np.float64).max), False, True),  # >= 0 and finite, or NaN
}
_LOW, _HIGH, _CODE, _NAN_OK = (np.array([rule[k] for rule in _FIELD_RULES.values()])[:, None] for k in range(4))
_NOT_CODE = ~_CODE
_RULES = tuple(_FIELD_RULES.values())


def _all_valid(arrays: dict[str, FloatArray]) -> bool:
    """Whether every input is in range, in a dozen array operations over all fields at once (the checks one by
    one cost ~50 µs for a batch of one); :func:`_raise_first_problem` names the problem when not."""
    return _rows_valid(np.stack([arrays[name] for name in _FIELD_RULES]))


def _rows_valid(values: FloatArray) -> bool:
    """:func:`_all_valid` of one row per field, in the order of ``_FIELD_RULES``."""
    if values.shape[1] == 1:  # one patient: the same rules on her Python floats (~10 numpy calls cost ~4 µs)
        return _row_valid(values[:, 0].tolist())
    # NaN fails both comparisons; infinities fail the finite bounds.
    in_range = (values >= _LOW) & (values <= _HIGH)
    ok = (in_range & ((values == np.floor(values)) | _NOT_CODE)) | (np.isnan(values) & _NAN_OK)
    return bool(np.count_nonzero(ok) == ok.size)  # one C call (ndarray.all() goes through a Python wrapper)


def _row_valid(values: Sequence[float]) -> bool:
    """:func:`_rows_valid` of one patient's values (Python floats, in the order of ``_FIELD_RULES``)."""
    for value, (low, high, code, nan_ok) in zip(values, _RULES, strict=True):
        if value != value:  # NaN
            if not nan_ok:
                return False
        elif not low <= value <= high or (code and not value.is_integer()):  # a float method: no global lookup
            return False
    return True


def _raise_first_problem(arrays: dict[str, FloatArray]) -> None:
    """Raise ``ValueError`` naming the first invalid input, field by field."""
    for name in ("age", "size_mm", "nodes"):
        if not bool(np.isfinite(arrays[name]).all()):
            raise ValueError(f"{name} must be finite (no NaN/inf)")
    if not bool((arrays["age"] > 0).all()):
        raise ValueError("age must be > 0 (years)")
    if not bool((arrays["size_mm"] > 0).all()):
        raise ValueError("size_mm must be > 0 (log is taken)")
    if not bool((arrays["nodes"] >= 0).all()):
        raise ValueError("nodes must be >= 0")
    _check_codes("grade", arrays["grade"], (1, 2, 3), nan_ok=True)
    _check_codes("screen_detected", arrays["screen_detected"], (0, 1), nan_ok=True)
    _check_codes("er", arrays["er"], (0, 1), nan_ok=False)
    for name in ("her2", "ki67", "pr", "smoker"):
        _check_codes(name, arrays[name], (0, 1), nan_ok=True)
    heart = arrays["heart_dose_gy"]
    if not bool((np.isnan(heart) | ((heart >= 0) & np.isfinite(heart))).all()):
        raise ValueError("heart_dose_gy must be >= 0 and finite, or NaN (not given)")
    raise AssertionError("_all_valid and _raise_first_problem disagree")  # unreachable: the checks are the same


@dataclass(frozen=True, slots=True)
class PredictInputs:
    """Patient inputs, one entry per patient (1-D float64 arrays of equal length).

    Attributes:
        age: age at diagnosis in years (> 0; < 25 is extrapolated with a warning, not clamped).
        size_mm: invasive tumour size in mm (> 0, its log is taken).
        nodes: positive-node count, already coded (single micrometastatic node = 0.5,
            see :func:`micromets.prognosis.micrometastasis_node_count`); >= 0.
        grade: 1, 2, 3 or NaN (unknown).
        screen_detected: 1 screen-detected, 0 symptomatic, NaN unknown.
        er: 1 / 0, unknown not allowed (selects the sub-model).
        her2, ki67, pr: 1 / 0 / NaN. ki67 = 1 means positive by the model's definition.
        smoker: 1 current smoker, 0 never/ex, NaN unknown (v3 only).
        heart_dose_gy: mean heart dose in Gy (>= 0), NaN = not given (v3 radiotherapy only).
    """

    age: FloatArray
    size_mm: FloatArray
    nodes: FloatArray
    grade: FloatArray
    screen_detected: FloatArray
    er: FloatArray
    her2: FloatArray
    ki67: FloatArray
    pr: FloatArray
    smoker: FloatArray
    heart_dose_gy: FloatArray

    def __post_init__(self) -> None:
        arrays = {name: _as_float_vector(name, getattr(self, name)) for name in _FIELD_RULES}
        n = arrays["age"].shape[0]
        for name, arr in arrays.items():
            if arr.shape[0] != n:
                raise ValueError(f"{name} has length {arr.shape[0]}, expected {n} (length of age)")
            object.__setattr__(self, name, arr)
        if not _all_valid(arrays):
            _raise_first_problem(arrays)

    @classmethod
    def from_matrix(cls, values: FloatArray) -> PredictInputs:
        """Inputs from one float64 row per field, in field order (shape (11, n)), checked as the constructor checks
        them; the fields are views of the rows."""
        if values.dtype != np.float64 or values.ndim != 2 or values.shape[0] != len(_FIELD_RULES):
            raise ValueError(f"expected a float64 array of shape ({len(_FIELD_RULES)}, n), got {values.dtype} "
                             f"{values.shape}")
        if not _rows_valid(values):
            _raise_first_problem(dict(zip(_FIELD_RULES, values, strict=True)))
        new = object.__new__(cls)
        for name, row in zip(_FIELD_RULES, values, strict=True):
            object.__setattr__(new, name, row)
        return new

    @property
    def n(self) -> int:
        """Number of patients."""
        return int(self.age.shape[0])

    @classmethod
    def build(
        cls,
        *,
        age: ArrayLike,
        size_mm: ArrayLike,
        nodes: ArrayLike,
        grade: ArrayLike,
        screen_detected: ArrayLike,
        er: ArrayLike,
        her2: ArrayLike | None = None,
        ki67: ArrayLike | None = None,
        pr: ArrayLike | None = None,
        smoker: ArrayLike | None = None,
        heart_dose_gy: ArrayLike | None = None,
    ) -> PredictInputs:
        """Convenience constructor: optional fields default to NaN (unknown / not given)."""
        n = _as_float_vector("age", age).shape[0]

        def opt(value: ArrayLike | None) -> Any:
            return np.full(n, np.nan) if value is None else value

        return cls(
            age=np.asarray(age, dtype=np.float64),
            size_mm=np.asarray(size_mm, dtype=np.float64),
            nodes=np.asarray(nodes, dtype=np.float64),
            grade=np.asarray(grade, dtype=np.float64),
            screen_detected=np.asarray(screen_detected, dtype=np.float64),
            er=np.asarray(er, dtype=np.float64),
            her2=opt(her2),
            ki67=opt(ki67),
            pr=opt(pr),
            smoker=opt(smoker),
            heart_dose_gy=opt(heart_dose_gy),
        )

    def rows(self, sl: slice) -> PredictInputs:
        """Contiguous sub-batch as views, without re-validation (the parent was validated)."""
        new = object.__new__(PredictInputs)
        for f in fields(self):
            object.__setattr__(new, f.name, getattr(self, f.name)[sl])
        return new

    def take(self, index: ArrayLike) -> PredictInputs:
        """Sub-batch by integer or boolean index (e.g. ``x.take([3])`` for a batch of one)."""
        idx = np.asarray(index)
        return PredictInputs(**{f.name: np.atleast_1d(getattr(self, f.name)[idx]) for f in fields(self)})

    def row(self, i: int) -> PredictRow:
        """Patient ``i`` as Python floats (already validated with the batch)."""
        # item(): a Python float straight from the array (indexing first would build a numpy scalar)
        return PredictRow(self.age.item(i), self.size_mm.item(i), self.nodes.item(i), self.grade.item(i),
                          self.screen_detected.item(i), self.er.item(i), self.her2.item(i), self.ki67.item(i),
                          self.pr.item(i), self.smoker.item(i), self.heart_dose_gy.item(i))


class PredictRow(NamedTuple):  # a tuple: built in a fraction of a frozen dataclass's time
    """One patient's inputs as Python floats (the fields of :class:`PredictInputs`): what the model terms of a
    batch of one are computed on (see ``_elementwise``)."""

    age: float
    size_mm: float
    nodes: float
    grade: float
    screen_detected: float
    er: float
    her2: float
    ki67: float
    pr: float
    smoker: float
    heart_dose_gy: float

    @classmethod
    def checked(cls, values: Sequence[float]) -> PredictRow:
        """One patient's inputs (in field order) checked as :class:`PredictInputs` checks a batch, by the same rules,
        without building its arrays; raises ``ValueError`` naming the first invalid input."""
        floats = [float(v) for v in values]
        if not _row_valid(floats):
            PredictInputs.from_matrix(np.array(floats, dtype=np.float64).reshape(len(floats), 1))  # raises
        return cls._make(floats)


if not tuple(_FIELD_RULES) == tuple(f.name for f in fields(PredictInputs)) == PredictRow._fields:
    raise RuntimeError("_FIELD_RULES does not list the fields of PredictInputs and PredictRow")  # in field order


@dataclass(frozen=True, slots=True)
class TreatmentArrays:
    """Treatments broadcast to length ``n`` (internal, produced by :meth:`Treatments.broadcast`)."""

    endocrine: BoolArray
    endocrine_years: FloatArray
    chemotherapy_generation: FloatArray
    trastuzumab: BoolArray
    bisphosphonate: BoolArray
    radiotherapy: BoolArray

    def rows(self, sl: slice) -> TreatmentArrays:
        """Contiguous sub-batch as views."""
        return TreatmentArrays(**{f.name: getattr(self, f.name)[sl] for f in fields(self)})

    def take(self, index: ArrayLike) -> TreatmentArrays:
        idx = np.asarray(index)
        return TreatmentArrays(**{f.name: np.atleast_1d(getattr(self, f.name)[idx]) for f in fields(self)})

    def row(self, i: int) -> TreatmentRow:
        """Patient ``i``'s treatments as Python bools and floats."""
        return TreatmentRow(self.endocrine.item(i), self.endocrine_years.item(i),
                            self.chemotherapy_generation.item(i), self.trastuzumab.item(i),
                            self.bisphosphonate.item(i), self.radiotherapy.item(i))


class TreatmentRow(NamedTuple):
    """One patient's :class:`TreatmentArrays` as Python values."""

    endocrine: bool
    endocrine_years: float
    chemotherapy_generation: float
    trastuzumab: bool
    bisphosphonate: bool
    radiotherapy: bool

    @classmethod
    def checked(cls, endocrine: Any, endocrine_years: Any, chemotherapy_generation: Any, trastuzumab: Any,
                bisphosphonate: Any, radiotherapy: Any) -> TreatmentRow:
        """One patient's treatments (the fields of :class:`Treatments`, in order) as :meth:`Treatments.one` gives
        them, by the same checks, without building a ``Treatments`` first; raises ``ValueError`` naming an invalid
        value."""
        e, years, chemo, t, b, r = endocrine, endocrine_years, chemotherapy_generation, trastuzumab, bisphosphonate, \
            radiotherapy
        scalars = _SCALAR_TYPES
        if (type(e) in scalars and type(years) in scalars and type(chemo) in scalars and type(t) in scalars
                and type(b) in scalars and type(r) in scalars and years in (5, 10) and chemo in (0, 2, 3)
                and e in (0, 1) and t in (0, 1) and b in (0, 1) and r in (0, 1)):
            return cls(e != 0, float(years), float(chemo), t != 0, b != 0, r != 0)
        # arrays, or an invalid value: raises naming it
        return Treatments(e, years, chemo, t, b, r).broadcast(1).row(0)


def _bool_vector(name: str, value: ArrayLike, n: int) -> BoolArray:
    arr = np.asarray(value)
    if arr.dtype != np.bool_:
        try:
            as_float = np.asarray(arr, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be boolean (True/False or 1/0)") from None
        _check_codes(name, np.atleast_1d(as_float).ravel(), (0, 1), nan_ok=False)
        arr = as_float != 0
    return _broadcast(name, arr, n)


def _broadcast(name: str, arr: NDArray[Any], n: int) -> NDArray[Any]:
    if arr.ndim == 0:
        return np.full(n, arr.item(), dtype=arr.dtype)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be a scalar or a 1-D array of length {n}; got shape {arr.shape}")
    return arr


@dataclass(frozen=True, slots=True)
class Treatments:
    """Adjuvant treatments: scalars (same for every patient) or arrays of length ``n``.

    Attributes:
        endocrine: endocrine (hormone) therapy; only acts when ER-positive.
        endocrine_years: 5 or 10 (10 adds the extended-therapy term in years 11-15).
        chemotherapy_generation: 0 (none), 2 or 3.
        trastuzumab: only acts when HER2-positive.
        bisphosphonate: the model does not check menopausal status (caller's job).
        radiotherapy: v3 only; ignored by v2.2 (radiotherapy disabled there).

    Example:
        >>> Treatments(endocrine=True, chemotherapy_generation=3).broadcast(2).chemotherapy_generation
        array([3., 3.])
    """

    endocrine: ArrayLike = False
    endocrine_years: ArrayLike = 5
    chemotherapy_generation: ArrayLike = 0
    trastuzumab: ArrayLike = False
    bisphosphonate: ArrayLike = False
    radiotherapy: ArrayLike = False

    def broadcast(self, n: int) -> TreatmentArrays:
        """Validate and broadcast every field to a length-``n`` array (read-only arrays for small batches when
        every field is a scalar: those are built once per combination of treatments and batch size)."""
        if n > _SHARED_UP_TO:  # large batches: building is cheap next to the batch, and memory stays unshared
            return self._broadcast(n)
        try:
            hash(self)
        except TypeError:  # a field is an array: nothing to share
            return self._broadcast(n)
        return _broadcast_scalars(self, n)

    def one(self) -> TreatmentRow:
        """The treatments of one patient as Python values: ``broadcast(1).row(0)``, the same checks, without the
        arrays when every field is a Python bool or number."""
        return TreatmentRow.checked(self.endocrine, self.endocrine_years, self.chemotherapy_generation,
                                    self.trastuzumab, self.bisphosphonate, self.radiotherapy)

    def _broadcast(self, n: int) -> TreatmentArrays:
        years = _broadcast("endocrine_years", np.asarray(self.endocrine_years, dtype=np.float64), n)
        _check_codes("endocrine_years", years, (5, 10), nan_ok=False)
        chemo = _broadcast(
            "chemotherapy_generation", np.asarray(self.chemotherapy_generation, dtype=np.float64), n
        )
        _check_codes("chemotherapy_generation", chemo, (0, 2, 3), nan_ok=False)
        return TreatmentArrays(
            endocrine=_bool_vector("endocrine", self.endocrine, n),
            endocrine_years=years.astype(np.float64, copy=False),
            chemotherapy_generation=chemo.astype(np.float64, copy=False),
            trastuzumab=_bool_vector("trastuzumab", self.trastuzumab, n),
            bisphosphonate=_bool_vector("bisphosphonate", self.bisphosphonate, n),
            radiotherapy=_bool_vector("radiotherapy", self.radiotherapy, n),
        )


_SCALAR_TYPES = (bool, int, float)
#: Batches up to this size share their broadcast scalar treatments (a batch of one above all).
_SHARED_UP_TO = 16


@lru_cache(maxsize=256)  # scalar treatments: a few dozen combinations (and small batch sizes) in practice
def _broadcast_scalars(treatments: Treatments, n: int) -> TreatmentArrays:
    arrays = treatments._broadcast(n)
    for f in fields(arrays):
        getattr(arrays, f.name).setflags(write=False)  # shared between calls: nobody may write into them
    return arrays
