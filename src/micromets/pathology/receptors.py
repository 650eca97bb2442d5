"""ER, PR and HER2 by the ASCO/CAP rules, and the resulting subtype.

    >>> er_status(5.0)
    'low_positive'
    >>> her2_ish_group(2.3, 4.5)
    1
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from micromets.knowledge import load_json
from micromets.model.assessment import ErStatus, Her2Status, PrStatus, Subtype


@cache
def _t() -> dict[str, Any]:
    data: dict[str, Any] = load_json("pathology/thresholds.json")
    return data


def er_status(er_percent: float | None) -> ErStatus | None:
    """ASCO/CAP 2020: < 1 % negative, 1-10 % low positive, > 10 % positive."""
    if er_percent is None:
        return None
    r = _t()["receptors"]
    if er_percent < r["er_positive_min_percent"]:
        return "negative"
    if er_percent <= r["er_low_max_percent"]:
        return "low_positive"
    return "positive"


def pr_status(pr_percent: float | None) -> PrStatus | None:
    """ASCO/CAP 2020: PR >= 1 % positive."""
    if pr_percent is None:
        return None
    return "positive" if pr_percent >= _t()["receptors"]["pr_positive_min_percent"] else "negative"


def her2_ish_group(ratio: float, copies: float) -> int:
    """ASCO/CAP 2018 dual-probe ISH group (1-5) from the HER2/CEP17 ratio and mean HER2 copies per cell."""
    t = _t()["her2_ish"]
    if ratio >= t["ratio_cutoff"]:
        return 1 if copies >= t["copies_low"] else 2
    if copies >= t["copies_high"]:
        return 3
    if copies >= t["copies_low"]:
        return 4
    return 5


class Her2Call(NamedTuple):
    """A HER2 result with the rule that decided it. A NamedTuple: built for every case, and ``classify`` unpacks
    it (a frozen dataclass cost ~0.5 µs)."""

    status: Her2Status | None
    ish_group: int | None
    basis: str
    missing: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()


_NEGATIVE_LABELS: dict[str, Her2Status] = {"1+": "low", "2+": "low", "0": "zero", "ultralow": "ultralow"}


def _negative_label(ihc: str | None) -> Her2Status:
    """A HER2-negative result named by its IHC score (HER2-low = IHC 1+ or 2+/ISH-negative)."""
    return _NEGATIVE_LABELS.get(ihc or "", "negative")


def her2_status(ihc: str | None, ish_ratio: float | None, ish_copies: float | None) -> Her2Call:
    """Combine IHC and dual-probe ISH as ASCO/CAP 2018 (reaffirmed 2023) does."""
    if ish_ratio is not None and ish_copies is not None:
        group = her2_ish_group(ish_ratio, ish_copies)
        text = f"ISH group {group} (ratio {ish_ratio:g}, {ish_copies:g} copies/cell)"
        if group == 1:
            return Her2Call("positive", group, f"{text}: amplified")
        if group == 5:
            if ihc == "3+":
                return Her2Call("positive", group, f"IHC 3+ with {text}", warnings=(
                    "HER2 IHC 3+ but ISH group 5: discordant result, review both tests",))
            return Her2Call(_negative_label(ihc), group, f"{text}: not amplified")
        if ihc is None:
            return Her2Call(None, group, f"{text}: interpretation needs the concurrent IHC score",
                            (("tumour.her2_ihc", f"ISH group {group} is read together with the concurrent IHC score"),))
        positive = ihc == "3+" or (group == 3 and ihc == "2+")
        if positive:
            return Her2Call("positive", group, f"{text} with IHC {ihc}: positive")
        return Her2Call(_negative_label(ihc), group, f"{text} with IHC {ihc}: negative")

    partial = ish_ratio is not None or ish_copies is not None
    partial_missing: tuple[tuple[str, str], ...] = ()
    if partial:
        absent = "tumour.her2_ish_copies" if ish_copies is None else "tumour.her2_ish_ratio"
        partial_missing = ((absent, "dual-probe ISH groups need both the HER2/CEP17 ratio and the HER2 copy number"),)
    if ihc is None:
        return Her2Call(None, None, "HER2 not reported", partial_missing or (
            ("tumour.her2_ihc", "HER2 status is needed for the subtype, the prognostic stage and HER2 therapy"),))
    if ihc == "3+":
        return Her2Call("positive", None, "IHC 3+")
    if ihc == "2+" and ish_ratio is None and ish_copies is not None:
        # With IHC 2+ the copy number alone can decide (ASCO/CAP 2018): >= 6 copies/cell is group 1 or 3, both
        # positive with IHC 2+; < 4 is group 2 or 5, both negative. Only 4-6 copies leave the ratio deciding.
        t = _t()["her2_ish"]
        if ish_copies >= t["copies_high"]:
            return Her2Call("positive", None, f"IHC 2+ with {ish_copies:g} HER2 copies/cell (ISH group 1 or 3 "
                                              "whatever the ratio): positive")
        if ish_copies < t["copies_low"]:
            return Her2Call("low", None, f"IHC 2+ with {ish_copies:g} HER2 copies/cell (ISH group 2 or 5 whatever the "
                                         "ratio): negative (HER2-low)")
    if ihc == "2+":
        return Her2Call("equivocal", None, "IHC 2+: equivocal, reflex ISH needed", partial_missing or (
            ("tumour.her2_ish_ratio", "HER2 IHC 2+ needs ISH before HER2 therapy can be decided"),))
    if partial and _could_be_amplified(ish_ratio, ish_copies):
        # An ISH result, once done, decides even after IHC 0/1+ (group 1 is positive whatever the IHC): half of
        # one that could be group 1 is not read as negative.
        known = f"ratio {ish_ratio:g}" if ish_ratio is not None else f"{ish_copies:g} copies/cell"
        return Her2Call("equivocal", None, f"IHC {ihc} with an incomplete ISH result ({known}) that could be group 1 "
                                           "(amplified)", partial_missing)
    label = _negative_label(ihc)
    return Her2Call(label, None, f"IHC {ihc}: negative ({'HER2-low' if label == 'low' else 'HER2-' + label})")


def _could_be_amplified(ratio: float | None, copies: float | None) -> bool:
    """Whether half of a dual-probe result still allows ISH group 1 (ratio >= 2 with >= 4 copies per cell)."""
    t = _t()["her2_ish"]
    return (ratio is not None and ratio >= t["ratio_cutoff"]) or (copies is not None and copies >= t["copies_low"])


def subtype(er: str | None, pr: str | None, her2: str | None) -> tuple[Subtype | None, tuple[tuple[str, str], ...]]:
    """hr_pos_her2_neg, her2_pos or triple_negative; None with the missing inputs when undecidable."""
    if her2 == "positive":
        return "her2_pos", ()
    if her2 in (None, "equivocal"):
        return None, (("tumour.her2_ihc", "subtype needs a definite HER2 status"),) if her2 is None else ()
    if er in ("positive", "low_positive") or pr == "positive":
        return "hr_pos_her2_neg", ()
    if er == "negative" and pr == "negative":
        return "triple_negative", ()
    missing = []
    if er is None:
        missing.append(("tumour.er_percent", "subtype needs the ER result"))
    if pr is None:
        missing.append(("tumour.pr_percent", "ER-negative, HER2-negative: PR decides hormone-receptor-positive vs triple-negative"))
    return None, tuple(missing)
