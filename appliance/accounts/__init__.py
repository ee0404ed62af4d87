"""Who may do what: organizations, API keys, users, their sign-in tokens, and the signed
URL tokens a presigned upload carries."""
