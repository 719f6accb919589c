"""Keeping and checking finished files: the archive and the PDF/A preflight."""
