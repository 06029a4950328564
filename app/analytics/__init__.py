"""Read-only queries and pure statistics; nothing here writes."""
