"""CSV import and export of opportunities (contract section 13)."""
