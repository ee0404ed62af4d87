"""Who may do what: organizations, API keys, users and their sign-in tokens."""
