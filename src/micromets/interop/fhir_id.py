"""The FHIR R4 ``id`` datatype, defined once for every check of one (REST ``?patient=``, the CDS Hooks
``context.patientId``, the values put into FHIR queries, references read on import).

FHIR R4, Datatypes, ``id``: "Any combination of upper- or lower-case ASCII letters ('A'..'Z', and 'a'..'z'),
numerals ('0'..'9'), '-' and '.', with a length limit of 64 characters", regex ``[A-Za-z0-9\\-\\.]{1,64}``.
Use ``FHIR_ID.fullmatch``: ``$`` would let a trailing line break through.

    >>> bool(FHIR_ID.fullmatch("pt-77.a")), bool(FHIR_ID.fullmatch("pt/77")), bool(FHIR_ID.fullmatch("a" * 65))
    (True, False, False)
"""

from __future__ import annotations

import re

__all__ = ["FHIR_ID", "FHIR_ID_PATTERN"]

#: The pattern of a FHIR R4 id, without anchors (to embed in a larger pattern or anchor as needed).
FHIR_ID_PATTERN = r"[A-Za-z0-9\-.]{1,64}"
FHIR_ID = re.compile(FHIR_ID_PATTERN)
