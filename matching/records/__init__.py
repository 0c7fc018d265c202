"""Records and sides: the schemas of a profile and a posting, the two sides, what memory holds of each."""
