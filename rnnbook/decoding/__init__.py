"""Turning any model's next-symbol scores into output: sampling rules and beam search."""
