"""Cards (the board's opportunities): their fields, writes, positions, queries, board
deltas, the email figures they show, and bulk moves and deletes."""
