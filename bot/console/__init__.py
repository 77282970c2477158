"""The counsellor console: a web app (own process) over the cases database and Rasa's HTTP API."""
