"""Client record exchange: a documented, versioned JSON file (schema in resources/schema/)."""

from therapy_desk.exchange.export import export_client
from therapy_desk.exchange.importer import (
    ImportError_,
    ImportResult,
    import_client,
    import_record,
    read_record_file,
)

__all__ = [
    "ImportError_",
    "ImportResult",
    "export_client",
    "import_client",
    "import_record",
    "read_record_file",
]
