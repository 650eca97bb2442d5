"""What PREDICT says a declined treatment would have given: the overall-survival gain forgone at 10 years.

The gain is the difference in 10-year overall survival between the treatments the rules would give (the declined
ones put back) and the same treatments without the declined one, so it is the benefit of that treatment on top
of the others. PREDICT models endocrine therapy, chemotherapy, trastuzumab, bisphosphonates and (v3.x)
radiotherapy; other treatments get a note instead of a figure.

    >>> from micromets.model import parse_case
    >>> from micromets.pathology import classify
    >>> case = parse_case({"age": 60, "menopausal_status": "post", "detection": "screening",
    ...     "tumour": {"size_mm": 25, "grade": 3, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+",
    ...                "ki67_percent": 30}, "nodes": {"procedure": "slnb", "examined": 3, "deposits": [
    ...     {"node": 1, "size_mm": 4, "method": "he"}]}, "surgery": {"breast": "bcs", "status": "done"}})
    >>> result = forgone_benefits(case, classify(case).findings, {"endocrine": "declined"},
    ...                           {"endocrine": "recommended"}, "3.2")
    >>> 0 < result["endocrine"].gain < 0.2
    True
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from micromets.model import DECLINED, Case, Findings
from micromets.prognosis._inputs import PredictInputs
from micromets.prognosis.case_adapter import TreatmentChoice, _coding, choose_treatments, code_case
from micromets.prognosis.predict import predict

#: Decision key -> the PREDICT treatment it stands for.
PREDICT_TREATMENT = {"chemotherapy": "chemotherapy", "endocrine": "endocrine", "her2_therapy": "trastuzumab",
                     "bisphosphonate": "bisphosphonate", "whole_breast_rt": "radiotherapy",
                     "post_mastectomy_rt": "radiotherapy"}
HORIZON_YEARS = 10
#: Rule decisions under which the treatment would have been given or considered.
WOULD_GIVE = ("recommended", "discuss", "deferred", "omission_possible")


@dataclass(frozen=True)
class Forgone:
    """The 10-year overall-survival gain forgone (a fraction), or why there is no figure."""

    key: str
    gain: float | None
    version: str
    note: str = ""


def _switch(choice: TreatmentChoice, treatment: str, on: bool) -> TreatmentChoice:
    if treatment == "chemotherapy":
        generation = choice.chemotherapy_generation or int(_coding()["chemotherapy_generation_for_recommended"])
        return dataclasses.replace(choice, chemotherapy_generation=generation if on else 0)
    if treatment == "endocrine":
        return dataclasses.replace(choice, endocrine=on)
    if treatment == "trastuzumab":
        return dataclasses.replace(choice, trastuzumab=on)
    if treatment == "bisphosphonate":
        return dataclasses.replace(choice, bisphosphonate=on)
    return dataclasses.replace(choice, radiotherapy=on)


def forgone_benefits(case: Case, findings: Findings, decisions: dict[str, str], clinical: dict[str, str],
                     version: str) -> dict[str, Forgone]:
    """For every declined decision key: PREDICT's 10-year overall-survival gain, or a note why none is given."""
    declined = [key for key, value in decisions.items() if value == DECLINED]
    out: dict[str, Forgone] = {}
    coded = code_case(case, findings)
    rules_decisions = {**decisions, **{key: clinical.get(key, "") for key in declined}}
    for key in declined:
        treatment = PREDICT_TREATMENT.get(key)
        if treatment is None:
            out[key] = Forgone(key, None, version, "PREDICT does not model this treatment")
        elif clinical.get(key) not in WOULD_GIVE:
            out[key] = Forgone(key, None, version, "the rules would not give it, so nothing is forgone")
        elif coded.not_applicable is not None:
            out[key] = Forgone(key, None, version, coded.not_applicable)
        elif coded.missing:
            out[key] = Forgone(key, None, version, "PREDICT cannot run without " +
                               ", ".join(m.field for m in coded.missing))
        elif treatment == "radiotherapy" and version.startswith("2."):
            out[key] = Forgone(key, None, version, f"PREDICT v{version} does not model radiotherapy")
        else:
            inputs = PredictInputs.build(**{k: [v] for k, v in coded.values.items()})
            choice = choose_treatments(case, rules_decisions)
            survival = [predict(inputs, _switch(choice, treatment, on).as_treatments(), version)
                        .overall_survival[0, -1, HORIZON_YEARS - 1] for on in (True, False)]
            out[key] = Forgone(key, float(survival[0] - survival[1]), version)
    return out
