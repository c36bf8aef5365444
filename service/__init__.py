"""AlmaSEO Outreach service (the app factory is service.app.create_app)."""
