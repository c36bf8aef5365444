"""CSV import and export of cards (docs/api.md, pipeline tools; docs/import.md)."""
