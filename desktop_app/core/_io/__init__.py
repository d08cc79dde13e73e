"""Low-level file plumbing shared by every writer and reader: atomic writes and the GC pause."""
