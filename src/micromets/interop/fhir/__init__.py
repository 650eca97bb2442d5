"""FHIR R4 (mCODE-style) export and import of micromets cases and assessments.

``to_bundle(assessment, case)`` writes a ``collection`` Bundle; ``case_from_bundle(bundle)`` reads a
case back (from such a Bundle or from plain mCODE resources). Round trip::

    >>> from micromets.assess import assess
    >>> from micromets.model import parse_case
    >>> case = parse_case({"id": "rt", "sex": "female", "age": 60, "tumour": {"size_mm": 14, "er_percent": 80}})
    >>> back = case_from_bundle(to_bundle(assess(case), case))
    >>> (back.id, back.age, back.tumour.size_mm, back.tumour.er_percent)
    ('rt', 60.0, 14.0, 80.0)
"""

from micromets.interop.fhir.export import to_bundle
from micromets.interop.fhir.import_ import (
    ImportedCase,
    case_from_bundle,
    case_from_resources,
    import_bundle,
    import_resources,
    resources_in,
    with_import_notes,
)

__all__ = ["ImportedCase", "case_from_bundle", "case_from_resources", "import_bundle", "import_resources",
           "resources_in", "to_bundle", "with_import_notes"]
