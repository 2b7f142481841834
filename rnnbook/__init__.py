"""rnnbook: recurrent neural networks from scratch in NumPy, checked against Keras."""

__version__ = "0.1.0"
