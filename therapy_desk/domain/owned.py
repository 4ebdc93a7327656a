"""The foreign key every client-owned record carries."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


def client_key() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
