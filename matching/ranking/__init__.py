"""Ranking: the one pipeline (eligibility, retrieval, signals, blend, explanation) and what it advises."""
