"""Opportunities (the board's cards): writes (positions, moves) and queries (lists, board)."""
