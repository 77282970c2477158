"""The production profile (`make run-prod`): several Rasa replicas on PostgreSQL, Redis, nginx."""
