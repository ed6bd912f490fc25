"""Local moderation model: harassment, spam and crisis scores, explanations, versions."""
