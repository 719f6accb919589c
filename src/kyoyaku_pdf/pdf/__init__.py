"""Turning laid-out pages into PDF files: fonts, metadata, PDF/A."""
