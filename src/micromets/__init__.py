"""micromets."""
