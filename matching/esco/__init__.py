"""ESCO: the vocabularies of skills and occupations and the mappers from text to their concepts."""
