"""The state: which action item became which issue (SQLite store, its lock and path, its schema)."""
