"""kuajing: which legal pathway a cross-border data export from China needs, with citations."""

__version__ = "0.1.0"
