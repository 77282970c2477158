"""The web chat widget (static files in static/, served by the console process at /widget/)."""
