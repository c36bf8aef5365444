"""WSGI entry point for gunicorn: `gunicorn wsgi:app` (the scheduler never runs here)."""
from service import create_app

app = create_app({"SCHEDULER_ENABLED": False})
