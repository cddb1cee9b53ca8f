"""Fact-checking analytics for news articles: figures, claims, checks, warehouse, reports."""

__version__ = "0.1.0"
