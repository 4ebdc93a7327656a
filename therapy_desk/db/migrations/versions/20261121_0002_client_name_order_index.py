"""client name order index

Start-up reads the first clients in the caseload's order (lower-cased name, then
reference); this index answers that without sorting every client.

Revision ID: 20261121_0002
Revises: 20261121_0001
Create Date: 2026-11-21 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261121_0002"
down_revision: str | None = "20261121_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_client_name_order", "client", [sa.text("lower(name)"), "reference"])


def downgrade() -> None:
    op.drop_index("ix_client_name_order", table_name="client")
