"""Text helpers shared by every stage: Unicode scripts and the named normal forms."""
