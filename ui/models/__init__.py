"""Qt item models over plain rows from the core (never live ORM objects)."""
