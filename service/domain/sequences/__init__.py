"""Drip sequences: definitions, enrolments, and sending each step exactly once."""
