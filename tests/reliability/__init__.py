"""Reliability loops: kill -9 at random moments, and what must survive it."""
