"""Custom Rasa NLU components (thin wrappers around the pure modules of `bot`)."""
