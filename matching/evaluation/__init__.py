"""Evaluation: labelled sets, metrics and the harness that measures the service's own components."""
