"""Instruments around a match: the rules that suggest them, the training catalogue, and the
suggestions for one candidate × vacancy pair (``suggestions``)."""
