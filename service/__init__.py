"""The bridgematch service: HTTP, storage and CLI around the matching engine."""
