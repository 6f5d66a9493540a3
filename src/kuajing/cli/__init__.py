"""The command line. Only this layer (and the API) prints, exits or chooses status codes."""
