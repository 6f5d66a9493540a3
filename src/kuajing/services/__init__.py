"""The service layer: the only entry point the CLI and the API use."""
