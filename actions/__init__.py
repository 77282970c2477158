"""Rasa action server: thin glue from rasa_sdk to the `bot` library."""
