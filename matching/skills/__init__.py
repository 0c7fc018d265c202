"""Skills: the alias vocabulary, implications, and skill signals scored for whole pools."""
