"""The monthly review: tending the network as a portfolio."""
