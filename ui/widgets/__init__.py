"""Reusable widgets that only paint and report clicks: no queries, no clinical rules."""
