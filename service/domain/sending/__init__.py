"""Sending: the one send path (reserve, hand over, record), its limits and channels, the
sender identity, scheduled sends, and the job kinds that send when nobody waits."""
