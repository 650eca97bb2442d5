"""Vectorised competing-risks recursion shared by every PREDICT version.

Implements the annual discrete algorithm of the PREDICT R code (model spec §2.2) for a block of
``b`` patients and ``C`` cumulative treatment columns over ``T`` years:

1. breast-cancer hazard increment ``dH_br(i) = dH0(i) * exp(PI + rx(i))``;
2. ``S_br(i) = exp(-sum_{k<=i} dH_br(k))`` and annual risk ``m_br(i) = S_br(i-1) - S_br(i)``;
3. annual other-cause risk ``m_oth(i) = S_oth(i-1) - S_oth(i)``;
4. all-cause ``S_all = S_oth * S_br`` and ``m_all(i) = S_all(i-1) - S_all(i)``;
5. split ``p = m_br / (m_br + m_oth)``; ``D_br = cumsum(p * m_all)``, ``D_oth = cumsum((1-p) * m_all)``;
6. ``OS = 1 - D_br - D_oth``.

Memory layout is **column-major** ``(C, T, b)`` so that every numpy kernel runs over long
contiguous patient rows and each column's block is contiguous (the result container exposes ``(n, C, T)``
transposed views).

Example:
    >>> import numpy as np
    >>> T, C, b = 3, 1, 1
    >>> out = np.empty((3, C, T, b))
    >>> no_other = np.zeros(T)  # other-cause hazard 0: S_oth = 1
    >>> competing_risks(np.zeros((C + 1, b)), C, None, 2, -0.01 * np.arange(1.0, 4.0)[:, None], no_other, out)
    >>> bool(np.allclose(out[0, 0, :, 0], np.exp(-0.01 * np.arange(1, 4))))
    True
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._inputs import FloatArray

__all__ = ["competing_risks"]

#: Patients per call of the arithmetic (larger blocks are cut into sub-blocks of this size).
_SUB_BLOCK = 1_024
#: Up to this many patients in a block, the running sum over the years is one call for every column.
_ONE_CALL_UP_TO = 16
# 0.0 and 1.0 as 0-d arrays: numpy converts a Python float operand on every call (~0.15 µs, as much as the
# arithmetic of a few patients); the same float64 values, so the same results.
_ZERO, _ONE = np.array(0.0), np.array(1.0)


def competing_risks(
    log_hazards: FloatArray,
    columns: int,
    late_log_hr: FloatArray | None,
    late_from_year: int,
    neg_baseline_cumulative: FloatArray,
    neg_other_cumulative: FloatArray,
    out: FloatArray,
    column_runs: NDArray[np.intp] | None = None,
    both_baselines: FloatArray | None = None,
) -> None:
    """Fill ``out`` (3, C, T, b): overall survival, cumulative breast-cancer deaths and other deaths.

    Args:
        log_hazards: (C + S, b), overwritten: ``PI + rx`` per cumulative treatment column (years before
            ``late_from_year``), then the other-cause index of each of the S runs of columns that share one
            (``column_runs``; without it, S = 1: one index shared by every column, or S = C: one per column).
        columns: C, the number of cumulative treatment columns.
        late_log_hr: (C, b) extra log hazard ratio from year ``late_from_year`` (1-based) on,
            e.g. the extended-endocrine add-on; ``None`` when zero everywhere.
        late_from_year: first year (1-based, >= 2) that receives ``late_log_hr``.
        neg_baseline_cumulative: (T, b) baseline cumulative BC hazard ``H0(1..T)``, negated.
        neg_other_cumulative: (T,) baseline cumulative other-cause hazard, negated.
        out: the output block (3, C, T, b), written in place (may be a view).
        column_runs: (C,) the run of each column (v3.2: other-cause treatment harms per column, consecutive
            cumulative columns without a new harm share one run).
        both_baselines: (2, 1, T, b) the two negated baselines one above the other (breast cancer, then other
            causes broadcast to the block), for S = C: both products are then one call (optional, the same
            figures).

    Because ``rx`` is constant within the two periods, ``sum_k dH0(k) exp(PI + rx(k))`` is
    computed in closed form (``exp(PI + rx) * H0(t)``, plus the late term) instead of a running
    sum, and ``OS = 1 - D_br - D_oth`` is stored as the identical ``S_oth * S_br`` (spec §2.2,
    step 7); both agree with the year loop to rounding (~1e-16).

    For few patients the cost is the number of numpy calls (~0.5-1.5 µs each), so: the baselines come negated
    (``-a * b`` is ``(-a) * b`` bit for bit: the sign is applied once per model, not per call); the breast-cancer,
    other-cause and all-cause survivals are the three blocks of one column-major (C + S + C, T, b) array, the first
    two exponentiated in one call (and, with ``both_baselines``, computed in one); the annual risks of all three
    are differences of consecutive rows of its (blocks x years, b) view (two calls: one for all rows, one for each
    block's first year), into the other half of the same allocation.
    """
    years, b = neg_baseline_cumulative.shape
    if b <= _SUB_BLOCK:
        _competing_block(log_hazards, columns, late_log_hr, late_from_year, neg_baseline_cumulative,
                         neg_other_cumulative, out, column_runs, both_baselines)
        return
    # Larger blocks in sub-blocks of patients: their temporaries stay in cache (4,096 patients at once: ~15 MB)
    for start in range(0, b, _SUB_BLOCK):
        sl = slice(start, start + _SUB_BLOCK)
        _competing_block(log_hazards[:, sl], columns, None if late_log_hr is None else late_log_hr[:, sl],
                         late_from_year, neg_baseline_cumulative[:, sl], neg_other_cumulative, out[..., sl],
                         column_runs, None if both_baselines is None else both_baselines[..., sl])


def _competing_block(
    log_hazards: FloatArray,
    columns: int,
    late_log_hr: FloatArray | None,
    late_from_year: int,
    neg_baseline_cumulative: FloatArray,
    neg_other_cumulative: FloatArray,
    out: FloatArray,
    column_runs: NDArray[np.intp] | None,
    both_baselines: FloatArray | None,
) -> None:
    """:func:`competing_risks` for one block of patients."""
    c = columns
    s = log_hazards.shape[0] - c
    years, b = neg_baseline_cumulative.shape
    rel = np.exp(log_hazards, out=log_hazards)  # exp(PI + rx) per column, then exp(index) per run
    # [S_br of each column | S_oth of each run | S_all of each column], then their annual risks: one allocation
    survival, risks = np.empty((2, 2 * c + s, years, b))
    s_br, s_oth, s_all = survival[:c], survival[c : c + s], survival[c + s :]
    if both_baselines is not None and s == c:  # the same products, in one broadcast call instead of two (~1 µs)
        np.multiply(rel.reshape(2, c, 1, b), both_baselines, out=survival[: 2 * c].reshape(2, c, years, b))
    else:
        np.multiply(rel[:c, None, :], neg_baseline_cumulative, out=s_br)
        np.multiply(rel[c:, None, :], neg_other_cumulative[:, None], out=s_oth)
    if late_log_hr is not None:
        k = late_from_year - 1
        # -(H0(t) - H0(k)) from the negated baseline: x * (-h) is -(x * h), and adding it is subtracting x * h
        since = neg_baseline_cumulative[k:] - neg_baseline_cumulative[k - 1]
        s_br[:, k:] += (rel[:c] * np.expm1(late_log_hr))[:, None, :] * since
    exponentiated = survival[: c + s]
    np.exp(exponentiated, out=exponentiated)
    # S_oth of each column: its own (S = C), the shared one (broadcast), or each column's run gathered in one call
    # (cheaper than a call per run for a sub-block of up to _SUB_BLOCK patients).
    per_column = s == c  # one S_oth per column (each run a single column, or as the caller gave them)
    own_other = per_column or column_runs is None
    np.multiply(s_br, s_oth if own_other else s_oth[column_runs], out=s_all)
    _annual_risks(survival, risks)
    m_br, m_oth, m_all = risks[:c], risks[c : c + s], risks[c + s :]
    denom = np.add(m_br, m_oth if own_other else m_oth[column_runs], out=s_br)
    # where both annual risks are 0 (survival underflow) the share stays 0 (denom's own value)
    share = np.divide(m_br, denom, out=denom, where=denom > _ZERO)
    np.multiply(share, m_all, out=share)  # breast-cancer deaths per year
    out_br, out_oth = out[1], out[2]
    # Running sum over the years, year by year in order (out[t] = out[t-1] + share[t]): one add.accumulate call
    # for a few patients; for more, one addition per year over every column and patient, the same additions
    # (add.accumulate runs a short strided loop per column and patient: ~40x slower for 4,096 patients).
    if b <= _ONE_CALL_UP_TO:
        np.add.accumulate(share, axis=1, out=out_br)
    else:
        np.copyto(out_br[:, 0], share[:, 0])
        for t in range(1, years):
            np.add(out_br[:, t - 1], share[:, t], out=out_br[:, t])
    out[0] = s_all  # a copy by assignment: np.copyto's dispatch wrapper costs 3x more for a few patients
    np.subtract(_ONE, s_all, out=out_oth)
    np.subtract(out_oth, out_br, out=out_oth)


def _annual_risks(survival: FloatArray, out: FloatArray) -> FloatArray:
    """``S(i-1) - S(i)`` along the years (axis 1) of every block of a (blocks, T, b) array, ``S(0) = 1``.

    The differences of consecutive rows of its (blocks x T, b) view, then each block's first year, which that
    call took across two blocks, overwritten.
    """
    b = survival.shape[2]
    # views: both arrays are the caller's own C-contiguous ones (reshape without ``copy=False``: its keyword
    # argument costs more than the reshape)
    flat, flat_out = survival.reshape(-1, b), out.reshape(-1, b)
    np.subtract(flat[:-1], flat[1:], out=flat_out[1:])
    np.subtract(_ONE, survival[:, 0], out=out[:, 0])
    return out
