"""Deliverability and compliance (contract section 12): the do-not-contact list,
unsubscribe links, the sending window, the bounce brake and the recipient-domain cap."""
