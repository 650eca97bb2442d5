"""Interoperability adapters: micromets cases and assessments to and from other formats.

``micromets.interop.fhir`` converts to and from FHIR R4 (mCODE-style resources). Adapters hold no
clinical logic: they only translate ``Case``/``Assessment``.
"""
