"""Client handouts as PDF: a plain snapshot in, ReportLab pages out.

Importing this package is cheap; ReportLab loads only when `handouts.build` is
first imported (start-up must not pay for it).
"""
