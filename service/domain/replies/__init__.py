"""Replies: inbound mail read and matched to our emails, kept readable per card, and
forwarded to the site's reply_forward_to."""
