"""The overview's sections, in page order: each reads its marts and returns a `Section`."""
