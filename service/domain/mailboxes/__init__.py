"""Mailboxes (docs/api.md §15): the site's own SMTP/IMAP accounts, their caps and ramp."""
