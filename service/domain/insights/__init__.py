"""Insights: totals and rates over a period, and breakdowns per day, template and step."""
