"""Tracking: what SendGrid's Event Webhook reports about the emails sent (delivered,
opened, clicked, bounced, spam reports, unsubscribes) and what each event changes."""
