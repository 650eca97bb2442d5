"""Vectorised competing-risks recursion shared by every PREDICT version.

Implements the annual discrete algorithm of the PREDICT R code (model spec §2.2) for a block of
``b`` patients and ``C`` cumulative treatment columns over ``T`` years:

1. breast-cancer hazard increment ``dH_br(i) = dH0(i) * exp(PI + rx(i))``;
2. ``S_br(i) = exp(-sum_{k<=i} dH_br(k))`` and annual risk ``m_br(i) = S_br(i-1) - S_br(i)``;
3. annual other-cause risk ``m_oth(i) = S_oth(i-1) - S_oth(i)``;
4. all-cause ``S_all = S_oth * S_br`` and ``m_all(i) = S_all(i-1) - S_all(i)``;
5. split ``p = m_br / (m_br + m_oth)``; ``D_br = cumsum(p * m_all)``, ``D_oth = cumsum((1-p) * m_all)``;
6. ``OS = 1 - D_br - D_oth``.

Memory layout is **time-major** ``(T, C, b)`` so that every numpy kernel runs over long
contiguous patient rows (the result container exposes ``(n, C, T)`` transposed views).

Example:
    >>> import numpy as np
    >>> T, C, b = 3, 1, 1
    >>> out = [np.empty((T, C, b)) for _ in range(3)]
    >>> competing_risks(np.zeros((C, b)), None, 2, 0.01 * np.arange(1.0, 4.0)[:, None], np.ones((T, b)), *out)
    >>> bool(np.allclose(out[0][:, 0, 0], np.exp(-0.01 * np.arange(1, 4))))
    True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ._inputs import FloatArray

__all__ = ["annual_decrements", "competing_risks"]

#: Up to this many patients in a block, each column's other-cause survival is gathered from its run (see below).
_GATHER_UP_TO = 2_048


def annual_decrements(survival: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """``S(i-1) - S(i)`` along the first (time) axis with ``S(0) = 1``."""
    res = np.empty_like(survival) if out is None else out
    np.subtract(1.0, survival[0], out=res[0])
    np.subtract(survival[:-1], survival[1:], out=res[1:])
    return res


def competing_risks(
    log_rel_hazard: FloatArray,
    late_log_hr: FloatArray | None,
    late_from_year: int,
    baseline_cumulative: FloatArray,
    other_survival: FloatArray,
    out_os: FloatArray,
    out_br: FloatArray,
    out_oth: FloatArray,
    other_columns: Sequence[slice] | None = None,
    column_runs: NDArray[np.intp] | None = None,
) -> None:
    """Fill ``out_os``, ``out_br`` (cumulative BC deaths) and ``out_oth`` (other deaths), shape (T, C, b).

    Args:
        log_rel_hazard: (C, b) ``PI + rx`` per cumulative treatment column (years before
            ``late_from_year``).
        late_log_hr: (C, b) extra log hazard ratio from year ``late_from_year`` (1-based) on,
            e.g. the extended-endocrine add-on; ``None`` when zero everywhere.
        late_from_year: first year (1-based, >= 2) that receives ``late_log_hr``.
        baseline_cumulative: (T, b) baseline cumulative BC hazard ``H0(1..T)``.
        other_survival: (T, b) other-cause survival ``S_oth`` shared by all columns, or, with
            ``other_columns``, (T, S, b): one ``S_oth`` per run of columns (v3.2: other-cause
            treatment harms per column; consecutive cumulative columns without a new harm share
            one run).
        out_os, out_br, out_oth: output blocks (T, C, b), written in place (may be views).
        other_columns: S slices of the columns covered by each run (together all C columns).
        column_runs: (C,) the run of each column (``other_columns`` as an index), when the caller has it.

    Because ``rx`` is constant within the two periods, ``sum_k dH0(k) exp(PI + rx(k))`` is
    computed in closed form (``exp(PI + rx) * H0(t)``, plus the late term) instead of a running
    sum, and ``OS = 1 - D_br - D_oth`` is stored as the identical ``S_oth * S_br`` (spec §2.2,
    step 7); both agree with the year loop to rounding (~1e-16).
    """
    rel = np.exp(log_rel_hazard)
    neg_hazard = np.multiply(rel[None, :, :], np.negative(baseline_cumulative)[:, None, :])
    if late_log_hr is not None:
        k = late_from_year - 1
        since = baseline_cumulative[k:] - baseline_cumulative[k - 1]
        neg_hazard[k:] -= (rel * np.expm1(late_log_hr))[None, :, :] * since[:, None, :]
    s_br = np.exp(neg_hazard, out=neg_hazard)

    if other_columns is None or (column_runs is not None and s_br.shape[2] <= _GATHER_UP_TO):
        # S_oth of each column: the shared one, or each column's run gathered in one call (two numpy calls per
        # run cost more up to ~2,000 patients; above, the gathered copy costs more than the calls).
        per_column = other_survival[:, None, :] if other_columns is None else other_survival[:, column_runs, :]
        s_all = np.multiply(s_br, per_column, out=out_os)  # = overall survival
        m_oth = annual_decrements(per_column)
        m_br = annual_decrements(s_br, out=out_oth)
        m_all = annual_decrements(s_all)
        denom = np.add(m_br, m_oth, out=s_br)
    else:
        for j, cols in enumerate(other_columns):
            np.multiply(s_br[:, cols], other_survival[:, j, None, :], out=out_os[:, cols])
        s_all = out_os
        m_oth_runs = annual_decrements(other_survival)
        m_br = annual_decrements(s_br, out=out_oth)
        m_all = annual_decrements(s_all)
        denom = s_br
        for j, cols in enumerate(other_columns):
            np.add(m_br[:, cols], m_oth_runs[:, j, None, :], out=denom[:, cols])
    # where both annual risks are 0 (survival underflow) the share stays 0 (denom's own value)
    share = np.divide(m_br, denom, out=denom, where=denom > 0.0)
    np.multiply(share, m_all, out=share)  # breast-cancer deaths per year
    # Running sum over the years: add.accumulate adds year by year in order (out[t] = out[t-1] + share[t]),
    # the same additions as a loop over t, in one call.
    np.add.accumulate(share, axis=0, out=out_br)
    np.subtract(1.0, s_all, out=out_oth)
    np.subtract(out_oth, out_br, out=out_oth)
