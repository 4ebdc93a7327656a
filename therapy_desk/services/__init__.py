"""Use cases, one module per job. Each takes a Session; the caller owns the transaction."""
