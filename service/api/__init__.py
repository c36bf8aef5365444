"""HTTP boundary: blueprints, authentication hooks and error handlers (routes.py wires
them into an app). Empty on purpose: a scheduler process imports request_hooks for its
logs and never the routes (service/app.py)."""
