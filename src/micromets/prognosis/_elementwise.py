"""Element-wise operations that take a batch (numpy arrays) or one patient (Python floats and bools).

The model terms are written once with these and the arithmetic operators, so the same lines score a cohort
batch and a single patient. For one patient, each numpy call on a 1-element array costs ~0.5 µs of overhead,
where Python float arithmetic costs ~20 ns: scoring the terms on floats is the cheap way to run a batch of one.

Bit for bit the same results either way:

* ``+ - * /`` are correctly rounded IEEE operations on floats and in numpy's loops alike (numpy fuses nothing);
* ``exp``, ``log``, ``power`` and ``sqrt`` stay numpy ufuncs for a float too: numpy runs a scalar through the
  same inner loop as an array (on AVX-512 machines its own SIMD code, not the C library's ``exp``/``pow``,
  which differ in the last bit for some inputs); Python's ``**`` is never used on a float for that reason,
  and squares are written ``v * v``, which is what ``np.square`` (numpy's ``a ** 2``) computes;
* selections (``where``, ``maximum``) and comparisons are exact.

``tests/prognosis/test_batch_of_one.py`` checks the equality over 100,000 generated patients.

    >>> where(True, 1.5, 2.5), float(exp(0.0)), where(np.array([True, False]), 1.5, 2.5).tolist()
    (1.5, 1.0, [1.5, 2.5])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np

from ._inputs import BoolArray, FloatArray

__all__ = [
    "Flag", "Real", "any_true", "as_float", "exp", "isnan", "log", "marker", "maximum", "negate", "power", "sqrt", "where",
]

#: A batch (float64 array of length n) or one patient (a float).
Real: TypeAlias = FloatArray | float
#: A batch (bool array of length n) or one patient (a bool).
Flag: TypeAlias = BoolArray | bool


# One patient's values are tested first, by identity (a bool) or exact type (a float): ~10 ns, where the
# isinstance test of an array costs ~50 ns, and her terms make ~35 of these calls.
_ARRAY = np.ndarray


def where(condition: Flag, if_true: Any, if_false: Any) -> Any:
    """``np.where`` for a batch; for one patient the branch itself."""
    if condition is True:
        return if_true
    if condition is False:
        return if_false
    if isinstance(condition, _ARRAY):
        return np.where(condition, if_true, if_false)
    return if_true if condition else if_false


def marker(values: Real, positive: Any, negative: Any) -> Any:
    """The model's coding of a binary marker (receptor, Ki-67, smoking): ``positive`` where the value is 1,
    ``negative`` where it is 0, 0.0 where it is unknown (NaN); ``where`` twice, as one call for one patient."""
    if type(values) is not float and isinstance(values, _ARRAY):
        return np.where(values == 1.0, positive, np.where(values == 0.0, negative, 0.0))
    return positive if values == 1.0 else negative if values == 0.0 else 0.0


def any_true(flags: Flag) -> bool:
    """Whether any patient's flag is set."""
    if flags is True or flags is False:
        return flags
    if isinstance(flags, _ARRAY):
        return bool(np.count_nonzero(flags))  # one C call, where ndarray.any() goes through a Python wrapper
    return bool(flags)


def isnan(values: Real) -> Flag:
    if type(values) is not float and isinstance(values, _ARRAY):
        out: BoolArray = np.isnan(values)
        return out
    return values != values  # NaN is the only value unequal to itself


def negate(flags: Flag) -> Flag:
    """Logical not (``~`` on a Python bool is an integer, -1 or -2)."""
    if flags is not True and flags is not False and isinstance(flags, _ARRAY):
        out: BoolArray = ~flags
        return out
    return not flags


def maximum(values: Real, floor: float) -> Real:
    """``np.maximum(values, floor)`` for values that are never NaN (validated inputs)."""
    if type(values) is not float and isinstance(values, _ARRAY):
        out: FloatArray = np.maximum(values, floor)
        return out
    return floor if floor > values else values


def _unary(function: np.ufunc) -> Callable[[Real], Real]:
    """A numpy ufunc for a batch, and the same ufunc on the float for one patient (numpy's loop, not the C
    library's function, which may differ in the last bit)."""
    def apply(values: Real) -> Real:
        if type(values) is not float and isinstance(values, _ARRAY):
            out: FloatArray = function(values)
            return out
        return float(function(values))

    apply.__name__ = apply.__qualname__ = function.__name__
    return apply


exp = _unary(np.exp)
log = _unary(np.log)
sqrt = _unary(np.sqrt)


def as_float(flags: Flag) -> Real:
    """1.0 where true, 0.0 where false."""
    if isinstance(flags, np.ndarray):
        out: FloatArray = flags.astype(np.float64)
        return out
    return 1.0 if flags else 0.0


def power(values: Real, exponent: float) -> Real:
    """``values ** exponent`` as numpy computes it for an array (never Python's ``**`` on a float)."""
    if type(values) is not float and isinstance(values, _ARRAY):
        out: FloatArray = np.power(values, exponent)
        return out
    return float(np.power(values, exponent))
