"""Reading datasets and finding what they hold."""
