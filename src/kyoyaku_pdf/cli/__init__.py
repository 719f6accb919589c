"""The commands: building, batches, watching, and the argument parser."""
