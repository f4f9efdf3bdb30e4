"""ETL for Open-Model Landscape: upstream sources -> canonical ids -> a DuckDB warehouse.

Each source lives in ``etl/sources/<name>.py`` and is split into fetch (HTTP or mirror),
parse (bytes -> records, pure) and normalise (records -> table rows, pure). The loader
(``etl.loader``) runs every source in isolation and publishes the database atomically.
"""
