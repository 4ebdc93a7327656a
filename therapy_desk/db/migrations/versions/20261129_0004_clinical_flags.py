"""clinical flags and withdrawn handouts

Findings record a foot that drops when walking and the day a relapse was over;
clients record heat sensitivity and whether an occupational therapist already
sees them; a handout record made in error is withdrawn with a reason, not deleted.

Revision ID: 20261129_0004
Revises: 20261129_0003
Create Date: 2026-11-29 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261129_0004"
down_revision: str | None = "20261129_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it, constant defaults included): batch mode would copy
    # the client table and drop the expression index ix_client_name_order.
    op.add_column("client", _flag("heat_sensitive"))
    op.add_column("client", _flag("ot_involved"))
    op.add_column("weakness_finding", sa.Column("relapse_over_on", sa.Date(), nullable=True))
    op.add_column("weakness_finding", _flag("foot_drop"))
    op.add_column(
        "handout_record", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("handout_record", sa.Column("withdrawn_by", sa.String(120), nullable=True))
    op.add_column("handout_record", sa.Column("withdrawn_reason", sa.Text(), nullable=True))


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())


def downgrade() -> None:
    for column in ("withdrawn_reason", "withdrawn_by", "withdrawn_at"):
        op.drop_column("handout_record", column)
    op.drop_column("weakness_finding", "foot_drop")
    op.drop_column("weakness_finding", "relapse_over_on")
    op.drop_column("client", "ot_involved")
    op.drop_column("client", "heat_sensitive")
