"""Evaluation of placement quality, ranking quality and fairness."""
