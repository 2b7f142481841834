"""Import TensorFlow and Keras quietly and deterministically, the same way on every machine."""

import os
import sys


def load_keras(seed=0, threads=2):
    """Return (tf, keras), seeded, deterministic and silent; call before anything imports TF."""
    if "tensorflow" not in sys.modules:
        # both must be set before the first import of tensorflow to have any effect:
        # C++ log lines would land in notebook outputs with timestamps and process ids,
        # and oneDNN (on only on some CPUs) changes results in the 8th digit.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import keras
    import tensorflow as tf

    try:
        # large matmuls reduce in an order that depends on the pool size, so fix it
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # the runtime is already initialised; the earlier setting stands
    tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(seed)
    return tf, keras
