"""Recurrent cells (SimpleRNN, LSTM, GRU) as Keras computes them; backpropagation through time."""
