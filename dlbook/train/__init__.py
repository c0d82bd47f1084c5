"""A small fit loop with progress bar, history and early stopping (filled in chapter 7)."""
