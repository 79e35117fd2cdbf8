"""The SDK's version, sent in the User-Agent header (kept equal to pyproject.toml by a test)."""

__version__ = "0.1.0"
