"""Destinations: one module each, registered by kind in `registry`."""
