"""WSGI entry point for gunicorn: `gunicorn wsgi:app` (the scheduler never runs here)."""

from service.app import create_app

app = create_app({"SCHEDULER_ENABLED": False})
