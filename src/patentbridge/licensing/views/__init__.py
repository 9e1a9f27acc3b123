"""Licensing: see the package docstring."""
