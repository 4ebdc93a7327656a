"""Storage: database URL, engine and sessions, Alembic migrations, backup and checks."""
