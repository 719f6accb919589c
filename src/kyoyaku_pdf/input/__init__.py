"""Reading the user's files: YAML with locations, the typed model, shared parts and overrides."""
