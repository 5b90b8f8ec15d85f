"""Text facilities every later stage shares: positions, normalisation with its offset map, numbers and dates in Chinese prose."""
