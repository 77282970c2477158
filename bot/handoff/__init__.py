"""Handoff to human counsellors: the cases database and the case service."""
