"""Recurrent cells (SimpleRNN, LSTM, GRU) as Keras computes them; backpropagation through time."""

from rnnbook.cells import gru, lstm, rnn

# Keras' layer for each cell module: the one map from a cell to its Keras twin
KERAS_LAYERS = {"SimpleRNN": rnn, "LSTM": lstm, "GRU": gru}
