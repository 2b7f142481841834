"""Networks built from nn/ and cells/, and what runs them: generation and data-parallel training."""
