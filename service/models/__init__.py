"""All tables of the service; importing this package registers them on Base.metadata."""

from service.db import Base
from service.models.audit import AuditEntry
from service.models.board import BoardChange, BoardClock
from service.models.email import Email, EmailEvent, Suppression
from service.models.links import Backlink, LinkCheck, LinkHost, LinkSlot
from service.models.mailbox import Mailbox
from service.models.opportunity import Opportunity
from service.models.outbound_hook import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from service.models.project import Project, ProjectShare
from service.models.reply import Reply
from service.models.saved_view import SavedView
from service.models.sender_domain import SenderDomain
from service.models.sequence import Enrollment, Sequence, SequenceStep, StepExperiment
from service.models.site import ApiKey, KeyCheck, Nonce, Site
from service.models.template import Template

ID_MAX = 2**31 - 1  # ids and counters are INTEGER columns: nothing larger can exist

__all__ = [
    "ID_MAX",
    "ApiKey",
    "AuditEntry",
    "Backlink",
    "Base",
    "BoardChange",
    "BoardClock",
    "Email",
    "EmailEvent",
    "Enrollment",
    "KeyCheck",
    "LinkCheck",
    "LinkHost",
    "LinkSlot",
    "Mailbox",
    "Nonce",
    "Opportunity",
    "Project",
    "ProjectShare",
    "Reply",
    "SavedView",
    "SenderDomain",
    "Sequence",
    "SequenceStep",
    "Site",
    "StepExperiment",
    "Suppression",
    "Template",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
