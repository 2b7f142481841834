"""NumPy building blocks: activations, initializers, layers, losses, optimisers, gradient checks."""
