"""Deliverability and compliance (docs/api.md, deliverability): the do-not-contact list,
unsubscribe links, the sending window and the bounce brake (the limits that read them are
in sending/limits.py)."""
