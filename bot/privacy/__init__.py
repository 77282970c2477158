"""Privacy: the retention purge (retention.py) and pseudonyms for log lines (pseudonym.py)."""
