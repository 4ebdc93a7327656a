"""Therapy Desk core: records, rules and documents for MS weakness care, with no GUI."""

__version__ = "0.1.0"
