"""Workshop sessions: records, session files, fingerprints, autosave and undo commands as plain data."""
