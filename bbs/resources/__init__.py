"""The resource library: coping strategies and exercises, favourites, sysop edits."""
