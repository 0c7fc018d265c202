"""The matching engine: pure functions and small classes, no web or SQL code."""
