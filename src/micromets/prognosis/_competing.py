"""Vectorised competing-risks recursion shared by every PREDICT version.

Implements the annual discrete algorithm of the PREDICT R code (model spec §2.2) for a block of
``b`` patients and ``C`` cumulative treatment columns over ``T`` years:

1. breast-cancer hazard increment ``dH_br(i) = dH0(i) * exp(PI + rx(i))``;
2. ``S_br(i) = exp(-sum_{k<=i} dH_br(k))`` and annual risk ``m_br(i) = S_br(i-1) - S_br(i)``;
3. annual other-cause risk ``m_oth(i) = S_oth(i-1) - S_oth(i)``;
4. all-cause ``S_all = S_oth * S_br`` and ``m_all(i) = S_all(i-1) - S_all(i)``;
5. split ``p = m_br / (m_br + m_oth)``; ``D_br = cumsum(p * m_all)``, ``D_oth = cumsum((1-p) * m_all)``;
6. ``OS = 1 - D_br - D_oth``.

Example:
    >>> import numpy as np
    >>> b, C, T = 1, 1, 3
    >>> out = [np.empty((b, C, T)) for _ in range(3)]
    >>> competing_risks(np.zeros((b, C)), None, 2, np.full((b, T), 0.01), np.ones((b, T)), *out)
    >>> bool(np.allclose(out[0][0, 0], np.exp(-0.01 * np.arange(1, 4))))
    True
"""

from __future__ import annotations

import numpy as np

from ._inputs import FloatArray

__all__ = ["annual_decrements", "competing_risks"]


def annual_decrements(survival: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """``S(i-1) - S(i)`` along the last axis with ``S(0) = 1``."""
    res = np.empty_like(survival) if out is None else out
    np.subtract(1.0, survival[..., 0], out=res[..., 0])
    np.subtract(survival[..., :-1], survival[..., 1:], out=res[..., 1:])
    return res


def competing_risks(
    log_rel_hazard: FloatArray,
    late_log_hr: FloatArray | None,
    late_from_year: int,
    baseline_increments: FloatArray,
    other_survival: FloatArray,
    out_os: FloatArray,
    out_br: FloatArray,
    out_oth: FloatArray,
) -> None:
    """Fill ``out_os``, ``out_br`` (cumulative BC deaths) and ``out_oth`` (other deaths), shape (b, C, T).

    Args:
        log_rel_hazard: (b, C) ``PI + rx`` per cumulative treatment column (years before
            ``late_from_year``).
        late_log_hr: (b, C) extra log hazard ratio from year ``late_from_year`` (1-based) on,
            e.g. the extended-endocrine add-on; ``None`` when zero everywhere.
        late_from_year: first year (1-based) that receives ``late_log_hr``.
        baseline_increments: (b, T) annual increments of the baseline cumulative BC hazard.
        other_survival: (b, T) other-cause survival ``S_oth`` shared by all columns.
        out_os, out_br, out_oth: output blocks (b, C, T), written in place.
    """
    hazard = np.exp(log_rel_hazard)[:, :, None] * baseline_increments[:, None, :]
    if late_log_hr is not None:
        hazard[:, :, late_from_year - 1 :] *= np.exp(late_log_hr)[:, :, None]
    np.cumsum(hazard, axis=2, out=hazard)
    np.negative(hazard, out=hazard)
    s_br = np.exp(hazard, out=hazard)

    m_oth = annual_decrements(other_survival)[:, None, :]
    m_br = annual_decrements(s_br)
    # all-cause survival and its annual decrements (s_br buffer is no longer needed afterwards)
    s_all = np.multiply(s_br, other_survival[:, None, :], out=out_oth)
    m_all = annual_decrements(s_all, out=out_os)

    denom = m_br + m_oth
    # where both annual risks are 0 (survival underflow) the share stays 0 (denom's own value)
    share = np.divide(m_br, denom, out=denom, where=denom > 0.0)
    np.multiply(share, m_all, out=share)  # breast-cancer deaths per year
    np.subtract(m_all, share, out=m_br)  # other-cause deaths per year
    np.cumsum(share, axis=2, out=out_br)
    np.cumsum(m_br, axis=2, out=out_oth)
    np.subtract(1.0, out_br, out=out_os)
    np.subtract(out_os, out_oth, out=out_os)
