"""Who may do what: users and organisations, tokens, the audit log, erasure."""
