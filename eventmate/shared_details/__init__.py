"""Details visitors shared back on a public card, and the owner's review of them."""
