"""Package version (single source, read by sources and the package)."""

__version__ = "0.1.0"
