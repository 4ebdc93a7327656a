"""Pages of the main window and the tabs of a client record."""
