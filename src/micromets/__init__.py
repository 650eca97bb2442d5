"""micromets: decision support for early breast cancer with nodal micrometastases.

The public surface is small: validate a case, assess it, read the assessment.

    >>> import micromets
    >>> case = micromets.parse_case({"id": "x", "age": 60, "metastasis": "cM0",
    ...     "tumour": {"size_mm": 15, "grade": 2, "er_percent": 80, "pr_percent": 50, "her2_ihc": "0"},
    ...     "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01"},
    ...     "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 0.8, "method": "he"}]}})
    >>> micromets.assess(case).staging.n
    'pN1mi(sn)'
"""

from micromets.assess import assess, available_prognosis_versions, micromets_version
from micromets.errors import CaseValidationError, KnowledgeError, MicrometsError, UnknownVersionError
from micromets.knowledge import ruleset_version
from micromets.model import Assessment, Case, Recommendation, parse_case, parse_case_json

__all__ = [
    "Assessment",
    "Case",
    "CaseValidationError",
    "KnowledgeError",
    "MicrometsError",
    "Recommendation",
    "UnknownVersionError",
    "assess",
    "available_prognosis_versions",
    "micromets_version",
    "parse_case",
    "parse_case_json",
    "ruleset_version",
]
