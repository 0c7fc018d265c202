"""Text: what of a record is embedded and searched, and which language it is written in."""
