"""The chapters' long runs, and every use of TensorFlow (through rnnbook.backend)."""
