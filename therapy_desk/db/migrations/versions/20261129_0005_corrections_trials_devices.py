"""corrections, timed trials and several devices per result

A measure result or a fall typed wrong is corrected (a new row supersedes it: who,
when, why) or struck out (who, when, why), and stays in the record's history. A
result keeps the timed trials it is the mean of, and every device used during the
test (a stick and an ankle-foot orthosis): `devices_used`, a JSON list, replaces the
single `device_used`, whose value moves into it.

Revision ID: 20261129_0005
Revises: 20261129_0004
Create Date: 2026-11-29 13:40:00
"""

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "20261129_0005"
down_revision: str | None = "20261129_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Tables whose rows can be corrected or struck out.
CORRECTABLE = ("measurement", "fall")
CORRECTION_COLUMNS = (
    "superseded_by_id",
    "corrected_at",
    "corrected_by",
    "correction_reason",
    "struck_at",
    "struck_by",
    "struck_reason",
)
DEVICE_KINDS = (
    "cane",
    "quad_cane",
    "forearm_crutch",
    "walking_frame",
    "rollator",
    "manual_wheelchair",
    "powered_wheelchair",
    "mobility_scooter",
    "ankle_foot_orthosis",
    "fes_foot_drop_stimulator",
    "knee_brace",
    "wrist_hand_splint",
    "hip_flexion_assist",
    "reacher",
    "jar_opener",
    "built_up_grips",
    "button_hook",
    "shower_seat",
    "raised_toilet_seat",
    "grab_rails",
    "cooling_vest",
)


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it): batch mode would copy each table, and on the
    # client table it dropped the expression index ix_client_name_order before.
    for table in CORRECTABLE:
        op.add_column(table, sa.Column("superseded_by_id", sa.Uuid(), nullable=True))
        op.add_column(table, sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("corrected_by", sa.String(length=120), nullable=True))
        op.add_column(table, sa.Column("correction_reason", sa.Text(), nullable=True))
        op.add_column(table, sa.Column("struck_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("struck_by", sa.String(length=120), nullable=True))
        op.add_column(table, sa.Column("struck_reason", sa.Text(), nullable=True))
    op.add_column("measurement", sa.Column("trial_values", sa.JSON(), nullable=True))
    op.add_column(
        "measurement",
        sa.Column("devices_used", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    one_device = "json_array(device_used)" if sqlite else "json_build_array(device_used)"
    op.execute(f"UPDATE measurement SET devices_used = {one_device} WHERE device_used IS NOT NULL")
    _drop_device_used(sqlite)


def _drop_device_used(sqlite: bool) -> None:
    """SQLite refuses DROP COLUMN for a column its table-level CHECK names, so there the
    measurement table is copied without it (the one table copied: it has no expression
    index, and its named CHECK constraints and indexes are reflected and kept)."""
    if not sqlite:
        op.drop_column("measurement", "device_used")
        return
    with _copied("measurement") as batch:
        batch.drop_constraint(op.f("ck_measurement_device_used"), type_="check")
        batch.drop_column("device_used")


@contextmanager
def _copied(table: str) -> Iterator[BatchOperations]:
    """SQLite: change a table by copying it (batch mode). Never for the client table."""
    with warnings.catch_warnings():
        # Reflecting the table reflects the client table its key names, whose expression
        # index SQLite cannot reflect (and a copy of this table does not touch).
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
        with op.batch_alter_table(table, recreate="always") as batch:
            yield batch


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    device = sa.Enum(
        *DEVICE_KINDS,
        name="device_used",
        native_enum=False,
        create_constraint=True,
        length=32,
    )
    first = "json_extract(devices_used, '$[0]')" if sqlite else "devices_used->>0"
    if sqlite:
        with _copied("measurement") as batch:
            batch.add_column(sa.Column("device_used", device, nullable=True))
    else:
        op.add_column("measurement", sa.Column("device_used", device, nullable=True))
    op.execute(f"UPDATE measurement SET device_used = {first}")
    drop = ("devices_used", "trial_values")
    for table in CORRECTABLE:
        columns = CORRECTION_COLUMNS + (drop if table == "measurement" else ())
        if sqlite:
            with _copied(table) as batch:
                for column in columns:
                    batch.drop_column(column)
        else:
            for column in columns:
                op.drop_column(table, column)
