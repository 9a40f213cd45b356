"""bankchurn: predict which bank customers will leave (the course's example)."""

__version__ = "0.1.0"
