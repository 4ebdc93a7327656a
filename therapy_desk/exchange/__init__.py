"""Client record exchange: a documented, versioned JSON file (schema in resources/schema/)."""

from therapy_desk.exchange.export import export_client
from therapy_desk.exchange.importer import ImportError_, import_client, read_record_file

__all__ = ["ImportError_", "export_client", "import_client", "read_record_file"]
