"""Operator surface without Flask: Prometheus metrics and JSON logs (the HTTP hooks are in
service.api.request_hooks)."""

from service.observability.logs import JsonFormatter, configure_logging, current_request_id
from service.observability.metrics import count, exposition, gauge, multiprocess_dir, observe

__all__ = [
    "JsonFormatter",
    "configure_logging",
    "count",
    "current_request_id",
    "exposition",
    "gauge",
    "multiprocess_dir",
    "observe",
]
