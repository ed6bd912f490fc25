"""Message boards: boards, threads, posts, drafts, reactions, follows and search."""
