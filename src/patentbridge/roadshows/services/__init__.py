"""Roadshow services: every state change checks the actor and writes its audit event."""
