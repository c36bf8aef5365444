"""Outbound webhooks and Slack notifications (docs/api.md §17, docs/webhooks.md): the
endpoints a site registers, the outbox its domain events fill, and the job kind that
delivers it. The inbound SendGrid Event Webhook is another thing: domain/tracking/."""
