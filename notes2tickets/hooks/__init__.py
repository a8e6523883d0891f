"""The ``hook`` commands: install, remove and run the git hooks, which call the sync."""
