"""Intake: a CV or a job ad (plain text) into a draft profile or posting, each field with where it was found."""
