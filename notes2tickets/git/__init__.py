"""git: the one git subprocess helper, the files a git operation changed, permalinks, the hook script."""
