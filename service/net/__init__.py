"""Outbound network rules every feature shares: which addresses and ports may be dialled
(`guard`) and name lookups that cannot starve one another (`resolver`). No Flask, no
database: the domain's link checks, the mail adapters and webhooks import it alike."""
