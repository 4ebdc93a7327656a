"""Client record files written before a field changed shape, brought to today's layout
before the schema looks at them, so every file an earlier version exported still imports.

- Before corrections and several devices per result (schema 20261129_0005), a
  measurement named one `device_used` (or null); it is now the list `devices_used`.
"""

from __future__ import annotations

from typing import Any


def brought_up_to_date(data: Any) -> Any:
    """The parsed file with older shapes rewritten in place (anything else left as it is,
    for the schema to judge)."""
    client = data.get("client") if isinstance(data, dict) else None
    entries = client.get("measurements") if isinstance(client, dict) else None
    if not isinstance(entries, list):
        return data
    for entry in entries:
        if isinstance(entry, dict) and "device_used" in entry and "devices_used" not in entry:
            device = entry.pop("device_used")
            entry["devices_used"] = [] if device is None else [device]
    return data
