"""The activity feed (docs/api.md §21): what happened on the site as structured entries a
screen turns into sentences: the audit trail grouped per action (a bulk move of 40 cards
is one entry), replies, unsubscribes and the sequences that stopped by themselves."""
