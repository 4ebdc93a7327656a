"""initial schema

Revision ID: 20261121_0001
Revises:
Create Date: 2026-11-21 17:33:48.659714
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261121_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "client",
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column(
            "ms_course",
            sa.Enum(
                "cis",
                "relapsing_remitting",
                "secondary_progressive_active",
                "secondary_progressive",
                "primary_progressive",
                "unknown",
                name="ms_course",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("diagnosis_year", sa.Integer(), nullable=True),
        sa.Column("primary_therapist", sa.String(length=120), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "discharged",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("discharged_on", sa.Date(), nullable=True),
        sa.Column("next_follow_up", sa.Date(), nullable=True),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "discharged_on IS NULL OR status = 'discharged'",
            name=op.f("ck_client_discharge_matches_status"),
        ),
        sa.CheckConstraint(
            "diagnosis_year IS NULL OR diagnosis_year BETWEEN 1900 AND 2200",
            name=op.f("ck_client_diagnosis_year_plausible"),
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_client_name_present")),
        sa.CheckConstraint("length(trim(reference)) > 0", name=op.f("ck_client_reference_present")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
        sa.UniqueConstraint("reference", name=op.f("uq_client_reference")),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_client_next_follow_up"), ["next_follow_up"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_client_status"), ["status"], unique=False)

    op.create_table(
        "exercise",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "cardio",
                "resistance",
                "flexibility",
                "balance",
                "aquatic",
                "functional",
                "breathing",
                name="category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("equipment", sa.JSON(), nullable=False),
        sa.Column("suits", sa.JSON(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("cautions", sa.JSON(), nullable=False),
        sa.Column("dose", sa.JSON(), nullable=False),
        sa.Column("illustration", sa.String(length=64), nullable=True),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise")),
        sa.UniqueConstraint("code", name=op.f("uq_exercise_code")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setting")),
        sa.UniqueConstraint("key", name=op.f("uq_setting_key")),
    )
    op.create_table(
        "advisory_dismissal",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("about", sa.String(length=120), nullable=False),
        sa.Column("dismissed_by", sa.String(length=120), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_advisory_dismissal_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_dismissal")),
        sa.UniqueConstraint("client_id", "code", "about", name="uq_advisory_dismissal_target"),
    )
    with op.batch_alter_table("advisory_dismissal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advisory_dismissal_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "device_assignment",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
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
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "side",
            sa.Enum(
                "left",
                "right",
                "both",
                "none",
                name="side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "trial",
                "issued",
                "in_use",
                "returned",
                "stopped",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("size_settings", sa.Text(), nullable=True),
        sa.Column("training_given", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(ended_on IS NULL) = (status IN ('trial', 'issued', 'in_use'))",
            name=op.f("ck_device_assignment_ended_when_given_back"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_device_assignment_ended_after_start"),
        ),
        sa.CheckConstraint(
            "review_on IS NULL OR review_on >= started_on",
            name=op.f("ck_device_assignment_review_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_device_assignment_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_assignment")),
    )
    with op.batch_alter_table("device_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_assignment_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "fall",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("fell_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("what_happened", sa.Text(), nullable=True),
        sa.Column("injury", sa.Text(), nullable=True),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.Column(
            "device_in_use",
            sa.Enum(
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
                name="device_in_use",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_fall_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fall")),
    )
    with op.batch_alter_table("fall", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fall_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fall_fell_on"), ["fell_on"], unique=False)

    op.create_table(
        "handout_record",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("given_by", sa.String(length=120), nullable=True),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_handout_record_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handout_record")),
    )
    with op.batch_alter_table("handout_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handout_record_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "measurement",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("measure_code", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "left",
                "right",
                "both",
                "none",
                name="side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "region",
            sa.Enum(
                "face",
                "neck",
                "shoulder",
                "arm",
                "wrist_hand",
                "trunk",
                "hip",
                "knee",
                "ankle_foot",
                "breathing",
                name="region",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column(
            "device_used",
            sa.Enum(
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
                name="device_used",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_measurement_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement")),
    )
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurement_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_measurement_client_measure", ["client_id", "measure_code"], unique=False
        )

    op.create_table(
        "programme",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_programme_ended_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_programme_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
    )
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_client_id"), ["client_id"], unique=False)

    op.create_table(
        "weakness_finding",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column(
            "region",
            sa.Enum(
                "face",
                "neck",
                "shoulder",
                "arm",
                "wrist_hand",
                "trunk",
                "hip",
                "knee",
                "ankle_foot",
                "breathing",
                name="region",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "side",
            sa.Enum(
                "left",
                "right",
                "both",
                "none",
                name="side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "cause",
            sa.Enum(
                "deconditioning",
                "nerve_damage",
                "mixed",
                "unknown",
                name="cause",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("strength_grade", sa.Integer(), nullable=True),
        sa.Column("fatigue_linked", sa.Boolean(), nullable=False),
        sa.Column("during_relapse", sa.Boolean(), nullable=False),
        sa.Column("onset_on", sa.Date(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "resolved_on IS NULL OR onset_on IS NULL OR resolved_on >= onset_on",
            name=op.f("ck_weakness_finding_resolved_after_onset"),
        ),
        sa.CheckConstraint(
            "strength_grade IS NULL OR strength_grade BETWEEN 0 AND 5",
            name=op.f("ck_weakness_finding_grade_0_to_5"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_weakness_finding_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weakness_finding")),
    )
    with op.batch_alter_table("weakness_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_weakness_finding_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "device_status_change",
        sa.Column("assignment_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "trial",
                "issued",
                "in_use",
                "returned",
                "stopped",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["device_assignment.id"],
            name=op.f("fk_device_status_change_assignment_id_device_assignment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_status_change")),
    )
    with op.batch_alter_table("device_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_status_change_assignment_id"), ["assignment_id"], unique=False
        )

    op.create_table(
        "programme_revision",
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("superseded_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_programme_revision_number_positive")),
        sa.CheckConstraint(
            "superseded_on IS NULL OR superseded_on >= issued_on",
            name=op.f("ck_programme_revision_superseded_after_issue"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_revision_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_revision")),
        sa.UniqueConstraint("programme_id", "number", name="uq_programme_revision_number"),
    )
    with op.batch_alter_table("programme_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_revision_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "programme_item",
        sa.Column("revision_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Uuid(), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("load_kg", sa.Double(), nullable=True),
        sa.Column(
            "band",
            sa.Enum(
                "extra_light",
                "light",
                "medium",
                "heavy",
                "extra_heavy",
                name="band",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("days_per_week", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "left",
                "right",
                "both",
                "none",
                name="side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "days_per_week BETWEEN 1 AND 7", name=op.f("ck_programme_item_days_range")
        ),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 180",
            name=op.f("ck_programme_item_duration_range"),
        ),
        sa.CheckConstraint(
            "hold_seconds IS NULL OR hold_seconds BETWEEN 1 AND 600",
            name=op.f("ck_programme_item_hold_range"),
        ),
        sa.CheckConstraint(
            "load_kg IS NULL OR (load_kg > 0 AND load_kg <= 100)",
            name=op.f("ck_programme_item_load_range"),
        ),
        sa.CheckConstraint(
            "reps IS NOT NULL OR hold_seconds IS NOT NULL OR duration_minutes IS NOT NULL",
            name=op.f("ck_programme_item_has_dose"),
        ),
        sa.CheckConstraint(
            "reps IS NULL OR reps BETWEEN 1 AND 100", name=op.f("ck_programme_item_reps_range")
        ),
        sa.CheckConstraint(
            "sets IS NULL OR sets BETWEEN 1 AND 10", name=op.f("ck_programme_item_sets_range")
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercise.id"],
            name=op.f("fk_programme_item_exercise_id_exercise"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["programme_revision.id"],
            name=op.f("fk_programme_item_revision_id_programme_revision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_item")),
    )
    with op.batch_alter_table("programme_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_item_exercise_id"), ["exercise_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_programme_item_revision_id"), ["revision_id"], unique=False
        )

    op.create_table(
        "trial",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "programme_revision",
                "device",
                "strategy",
                "medication_change",
                name="subject",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("programme_revision_id", sa.Uuid(), nullable=True),
        sa.Column("device_assignment_id", sa.Uuid(), nullable=True),
        sa.Column("follows_trial_id", sa.Uuid(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("success_looks_like", sa.Text(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=120), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "helped",
                "no_change",
                "worse",
                "not_tolerated",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                "continue",
                "adjust",
                "stop",
                "try_something_else",
                name="decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "subject != 'device' OR device_assignment_id IS NOT NULL",
            name=op.f("ck_trial_device_named"),
        ),
        sa.CheckConstraint(
            "subject != 'programme_revision' OR programme_revision_id IS NOT NULL",
            name=op.f("ck_trial_revision_named"),
        ),
        sa.CheckConstraint(
            "(decision IS NULL) = (decided_on IS NULL)", name=op.f("ck_trial_decision_has_date")
        ),
        sa.CheckConstraint(
            "(outcome IS NULL) = (reviewed_on IS NULL)", name=op.f("ck_trial_outcome_has_date")
        ),
        sa.CheckConstraint(
            "decision IS NULL OR outcome IS NOT NULL", name=op.f("ck_trial_decision_after_outcome")
        ),
        sa.CheckConstraint("review_on >= started_on", name=op.f("ck_trial_review_after_start")),
        sa.CheckConstraint(
            "reviewed_on IS NULL OR reviewed_on >= started_on",
            name=op.f("ck_trial_reviewed_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_trial_client_id_client"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["device_assignment_id"],
            ["device_assignment.id"],
            name=op.f("fk_trial_device_assignment_id_device_assignment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["follows_trial_id"],
            ["trial.id"],
            name=op.f("fk_trial_follows_trial_id_trial"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_revision_id"],
            ["programme_revision.id"],
            name=op.f("fk_trial_programme_revision_id_programme_revision"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial")),
    )
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trial_device_assignment_id"), ["device_assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trial_programme_revision_id"), ["programme_revision_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trial_review_on"), ["review_on"], unique=False)

    op.create_table(
        "trial_note",
        sa.Column("trial_id", sa.Uuid(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("written_by", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trial_id"],
            ["trial.id"],
            name=op.f("fk_trial_note_trial_id_trial"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_note")),
    )
    with op.batch_alter_table("trial_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_note_trial_id"), ["trial_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("trial_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_note_trial_id"))

    op.drop_table("trial_note")
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_review_on"))
        batch_op.drop_index(batch_op.f("ix_trial_programme_revision_id"))
        batch_op.drop_index(batch_op.f("ix_trial_device_assignment_id"))
        batch_op.drop_index(batch_op.f("ix_trial_client_id"))

    op.drop_table("trial")
    with op.batch_alter_table("programme_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_item_revision_id"))
        batch_op.drop_index(batch_op.f("ix_programme_item_exercise_id"))

    op.drop_table("programme_item")
    with op.batch_alter_table("programme_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_revision_programme_id"))

    op.drop_table("programme_revision")
    with op.batch_alter_table("device_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_status_change_assignment_id"))

    op.drop_table("device_status_change")
    with op.batch_alter_table("weakness_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_weakness_finding_client_id"))

    op.drop_table("weakness_finding")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_client_id"))

    op.drop_table("programme")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_measurement_client_measure")
        batch_op.drop_index(batch_op.f("ix_measurement_client_id"))

    op.drop_table("measurement")
    with op.batch_alter_table("handout_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handout_record_client_id"))

    op.drop_table("handout_record")
    with op.batch_alter_table("fall", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fall_fell_on"))
        batch_op.drop_index(batch_op.f("ix_fall_client_id"))

    op.drop_table("fall")
    with op.batch_alter_table("device_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_assignment_client_id"))

    op.drop_table("device_assignment")
    with op.batch_alter_table("advisory_dismissal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advisory_dismissal_client_id"))

    op.drop_table("advisory_dismissal")
    op.drop_table("setting")
    op.drop_table("exercise")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_status"))
        batch_op.drop_index(batch_op.f("ix_client_next_follow_up"))
        batch_op.drop_index(batch_op.f("ix_client_name"))

    op.drop_table("client")
