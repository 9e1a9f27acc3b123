"""Services of 专利池: every state change checks the actor and writes an AuditEvent in its transaction."""
