"""Photos: the user's own on their card, and each contact's, private to its owner."""
