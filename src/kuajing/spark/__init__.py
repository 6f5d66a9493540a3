"""Scanning and recording data-lake datasets on a Spark cluster (`--engine spark`)."""
