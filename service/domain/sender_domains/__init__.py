"""Sender domains (docs/api.md §20): domains a site proves it may send from, by a DNS TXT
record, beside its own domain and OUTREACH_SENDER_DOMAINS."""
