"""Synthetic raw exports of a streaming + e-commerce business, with ground truth."""

from cdp.generate.run import DEFAULT_END_DATE, generate_sources

__all__ = ["DEFAULT_END_DATE", "generate_sources"]
