"""The DuckDB warehouse: schema, loading and read-only access."""
