"""Domain logic by feature (docs/architecture.md); no Flask here. Use cases take a unit of
work and their ports; the functions below them take a session and a site."""
