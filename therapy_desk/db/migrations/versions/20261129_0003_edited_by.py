"""who last edited each row

Every row records the acting user of the transaction that last wrote it, so a
conflict can tell the user who changed a record since they opened it.

Revision ID: 20261129_0003
Revises: 20261121_0002
Create Date: 2026-11-29 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261129_0003"
down_revision: str | None = "20261121_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every table whose rows carry the shared columns (id, timestamps, version).
TABLES = (
    "advisory_dismissal",
    "client",
    "device_assignment",
    "device_status_change",
    "exercise",
    "fall",
    "handout_record",
    "measurement",
    "programme",
    "programme_item",
    "programme_revision",
    "setting",
    "trial",
    "trial_note",
    "weakness_finding",
)


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it): batch mode would copy each table and drop the
    # expression index ix_client_name_order, which it cannot reflect.
    for table in TABLES:
        op.add_column(table, sa.Column("edited_by", sa.String(length=120), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "edited_by")
