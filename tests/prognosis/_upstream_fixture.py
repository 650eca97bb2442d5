"""Reading the upstream-R reference fixtures (tests/prognosis/data/upstream_r_reference*.csv).

Both fixtures share one input layout: the R scripts' codes (9 = unknown grade/HER2/Ki-67/PR,
2 = unknown mode of detection) and treatment flags, followed by the upstream outputs.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from micromets.prognosis import PredictInputs, Treatments


@dataclass(frozen=True)
class UpstreamFixture:
    rows: list[dict[str, str]]

    @classmethod
    def read(cls, path: Path) -> UpstreamFixture:
        with path.open() as fh:
            return cls(list(csv.DictReader(line for line in fh if not line.startswith("#"))))

    def col(self, name: str) -> np.ndarray:
        return np.array([float(r[name]) for r in self.rows])

    def _unknown(self, name: str, code: float) -> np.ndarray:
        out = self.col(name)
        out[out == code] = np.nan
        return out

    def inputs(self) -> PredictInputs:
        return PredictInputs.build(
            age=self.col("age"),
            size_mm=self.col("size"),
            nodes=self.col("nodes"),
            grade=self._unknown("grade", 9),
            screen_detected=self._unknown("screen", 2),
            er=self.col("er"),
            her2=self._unknown("her2", 9),
            ki67=self._unknown("ki67", 9),
            pr=self._unknown("pr", 9),
            smoker=self.col("smoker"),
            heart_dose_gy=self.col("heart"),
        )

    def treatments(self) -> Treatments:
        return Treatments(
            endocrine=self.col("horm") == 1,
            endocrine_years=np.where(self.col("h10") == 1, 10, 5),
            chemotherapy_generation=self.col("generation"),
            trastuzumab=self.col("traz") == 1,
            bisphosphonate=self.col("bis") == 1,
            radiotherapy=self.col("radio") == 1,
        )
