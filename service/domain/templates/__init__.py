"""Email templates: the site's library (CRUD, previews) and rendering (placeholders, HTML)."""
