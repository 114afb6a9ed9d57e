"""tuific: a terminal reader for fan fiction."""

__version__ = "0.1.0"
