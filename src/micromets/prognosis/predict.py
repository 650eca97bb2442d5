"""Public entry points of the PREDICT Breast prognosis engine.

``predict(inputs, treatments, version)`` returns overall survival, cumulative breast-cancer and
other-cause mortality for surgery only and for each cumulative treatment column (the version's
display order), years 1..15, vectorised over patients.

Example:
    >>> from micromets.prognosis import PredictInputs, Treatments, predict, micrometastasis_node_count
    >>> nodes = micrometastasis_node_count(1, micrometastatic_only=True)
    >>> x = PredictInputs.build(age=[58], size_mm=[22], nodes=[nodes], grade=[2], screen_detected=[0],
    ...                         er=[1], her2=[0], ki67=[0], pr=[1], smoker=[0])
    >>> r = predict(x, Treatments(endocrine=True, chemotherapy_generation=3), version="3.0")
    >>> r.column_order
    ('surgery', 'endocrine', 'chemotherapy')
    >>> r.overall_survival.shape
    (1, 3, 15)
"""

from __future__ import annotations

import math
from functools import cache

from micromets.errors import UnknownVersionError

from ._base import PredictModel, PredictResult
from ._inputs import PredictInputs, Treatments
from .predict_v2 import PredictV22
from .predict_v3 import PredictV30
from .predict_v3_2 import PredictV32

__all__ = [
    "LATEST_VERSION",
    "available_versions",
    "get_model",
    "micrometastasis_node_count",
    "predict",
]

_MODELS: dict[str, type[PredictModel]] = {"2.2": PredictV22, "3.0": PredictV30, "3.2": PredictV32}
LATEST_VERSION = "3.2"


@cache  # the implemented versions are fixed; asked on every assessment
def available_versions() -> tuple[str, ...]:
    """Implemented PREDICT versions, oldest first (``("2.2", "3.0", "3.2")``)."""
    return tuple(sorted(_MODELS, key=lambda v: tuple(int(p) for p in v.split("."))))


@cache
def get_model(version: str) -> PredictModel:
    """The (cached) model object of a version; raises UnknownVersionError (a ValueError) if unknown."""
    try:
        cls = _MODELS[version]
    except KeyError:
        raise UnknownVersionError(
            f"unknown PREDICT version {version!r}; available: {available_versions()}"
        ) from None
    return cls()


def predict(
    inputs: PredictInputs,
    treatments: Treatments | None = None,
    version: str = LATEST_VERSION,
    *,
    chunk_size: int = 4_096,
    workers: int = 1,
) -> PredictResult:
    """Run PREDICT ``version`` for a batch of patients.

    Args:
        inputs: validated patient arrays (see :class:`PredictInputs`).
        treatments: treatments (scalars broadcast or arrays); ``None`` = surgery only.
        version: one of :func:`available_versions`.
        chunk_size: patients per block (bounds temporary memory; results are identical).
        workers: threads used for the blocks (numpy releases the GIL in its kernels).

    Returns:
        :class:`PredictResult`; only treatments switched on for at least one patient get a
        column. v2.2 has no radiotherapy column (radiotherapy is ignored; the caller warns).
        The default version is :data:`LATEST_VERSION` (``"3.2"``).

    Example (10-year surgery-only OS; the upstream v2.2 R script gives 77.85 % for this patient):
        >>> from micromets.prognosis import PredictInputs, predict
        >>> x = PredictInputs.build(age=[70], size_mm=[10], nodes=[0], grade=[1], screen_detected=[1], er=[1])
        >>> round(float(predict(x, version="2.2").at_years((10,))["overall_survival"][0, 0, 0]), 3)
        0.779
    """
    model = get_model(version)
    return model.run(
        inputs, treatments if treatments is not None else Treatments(), chunk_size=chunk_size, workers=workers
    )


def micrometastasis_node_count(positive_nodes: float, micrometastatic_only: bool) -> float:
    """Node count to enter into PREDICT, applying the web tool's micrometastasis rule.

    The PREDICT web tool (WintonCentre/predict-v21-main, ``src/cljs/predict3/models/adapters/
    predict2.cljs``, function ``nodes-v2``) enters **0.5** when exactly one node is positive and
    it holds micrometastases only; any other count is passed unchanged (two or more
    micrometastatic-only nodes are entered as their count). Isolated tumour cells are not
    positive nodes (enter 0). Not valid after neoadjuvant therapy (the model is not validated
    there; do not call PREDICT for such patients).

    Args:
        positive_nodes: number of positive nodes (micro- or macrometastatic), integer >= 0.
        micrometastatic_only: True when every positive node holds micrometastases only.

    Example:
        >>> micrometastasis_node_count(1, True), micrometastasis_node_count(2, True)
        (0.5, 2.0)
    """
    if not math.isfinite(positive_nodes) or positive_nodes < 0 or positive_nodes != int(positive_nodes):
        raise ValueError("positive_nodes must be a whole number >= 0")
    if micrometastatic_only and positive_nodes == 1:
        return 0.5
    return float(positive_nodes)
