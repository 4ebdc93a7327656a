"""Dialogs: one class per dialog."""
