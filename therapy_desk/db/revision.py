"""The schema revision this version of the app writes, readable without loading Alembic."""

#: The newest revision in therapy_desk/db/migrations/versions. Start-up compares the
#: database's stamp with it before anything heavy is loaded; a test keeps it equal to
#: Alembic's real head.
SCHEMA_HEAD = "20261129_0005"
