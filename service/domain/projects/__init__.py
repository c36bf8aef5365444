"""Projects and client reports (docs/api.md §19): one client's cards inside a site, the
report of what they won, and the read-only share links that open it without a login."""
