"""Aftercare (nazorg): checkpoints of running placements, the account managers' worklist, and
check-ins recorded with who, when and a note."""
