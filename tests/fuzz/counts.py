"""How many hostile inputs each fuzz test sends (issue 9, item 7: at least 10,000 in total).

The counts are chosen so that the whole fuzz suite adds well under 3 minutes to ``make test`` on
2 cores; a longer hunt: raise them locally (``MICROMETS_FUZZ_SCALE=10``).
"""

from __future__ import annotations

import os

_SCALE = max(1, int(os.environ.get("MICROMETS_FUZZ_SCALE", "1")))

COUNTS: dict[str, int] = {name: count * _SCALE for name, count in {
    "cli_jsonl_in_process": 4000,   # lines of one JSON Lines run through the CLI in process
    "cli_subprocess_lines": 1500,   # lines of one JSON Lines run as a real process
    "cli_single_files": 40,         # hostile single-case files (in process), plus a few real processes
    "rest_assess": 2000,            # POST /api/assess bodies
    "rest_batch_requests": 250,     # POST /api/assess/batch bodies (each 1-6 cases)
    "rest_whatif": 700,             # POST /api/whatif bodies
    "rest_ics": 300,                # POST /api/followup.ics bodies
    "rest_pdf": 40,                 # POST /api/report.pdf bodies (invalid ones only: a PDF takes seconds)
    "web_form": 300,                # web form posts and downloads
    "cds_hooks": 300,               # POST /cds-services/{id} bodies
    "fhir_import": 600,             # FHIR Bundles through loads_strict + case_from_bundle
}.items()}
