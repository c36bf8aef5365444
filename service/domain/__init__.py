"""Domain logic by feature; no Flask here. Functions take a session and a site."""
