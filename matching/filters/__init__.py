"""Hard filters: the per-pair reference rules and the same rules as numpy columns."""
