"""Keras' side of the benchmark (tests/bench/bench.mjs): the network of a file written by
`digits export-keras` (its `build_model()`, the part before the training marker), trained
on TensorFlow's CPU with the notebook's settings (Adam 1e-3, batch 128, the test rows as
validation data each epoch) and a seeded 80/20 split of the same sizes as the page's.

    python keras_bench.py MODEL_PY CSV EPOCHS THREADS

Prints one JSON line: versions, seconds of each epoch, training rows, test accuracy.
"""
import json
import math
import sys
import time

MARKER = "# --- training ---"


def main():
    model_py, csv, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    import keras
    import numpy as np

    namespace = {}
    exec(open(model_py).read().split(MARKER)[0], namespace)
    data = np.genfromtxt(csv, delimiter=",")
    data = data[~np.isnan(data).any(axis=1)]
    x = data[:, :64].reshape(-1, 8, 8, 1).astype("float32")
    y = keras.utils.to_categorical(data[:, 64].astype(int), 10)
    order = np.random.default_rng(42).permutation(len(x))
    tests = math.ceil(0.2 * len(x))
    test, train = order[:tests], order[tests:]

    keras.utils.set_random_seed(42)
    model = namespace["build_model"]()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    seconds = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.start)

    model.fit(
        x[train], y[train], epochs=epochs, batch_size=128,
        validation_data=(x[test], y[test]), callbacks=[Timer()], verbose=0,
    )
    _, accuracy = model.evaluate(x[test], y[test], verbose=0)
    print(json.dumps({
        "tensorflow": tf.__version__, "keras": keras.__version__, "threads": threads,
        "epoch_seconds": seconds, "train_rows": int(len(train)), "test_accuracy": float(accuracy),
    }))


main()
