"""armswatch: news in, a living record of the international arms trade out."""

__version__ = "0.1.0"
