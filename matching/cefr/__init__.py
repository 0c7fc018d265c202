"""CEFR language levels: parsing, comparing, and whether a graduate's languages fit a posting."""
