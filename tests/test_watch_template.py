"""The course's template code, streamed with one import and one call per step, into a headless ``listen``.

The student's code is the seed's: ``tf.layers.conv2d`` twice, a dense layer,
``AdamOptimizer``, a plain ``tf.Session`` loop over numpy mini-batches; and the
same network as an Estimator ``model_fn`` trained with ``w.hook()``. It uses
TensorFlow's own TF1 API, as a notebook does (not ``convviz.tf1``): this is the
student's code, not the app's.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow  # the student's own import, not convviz.tf1's

from convviz import watch
from tests.bridge_helpers import HeadlessListen

tf = tensorflow.compat.v1
# The student's tf.layers warn on TF 2.15 that Keras replaces them; the template uses them on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:`tf.layers:UserWarning")

STEPS = 12
BATCH = 16


def template_graph(x):
    """The seed's network: two conv layers with pooling, a dense layer, the 10 logits."""
    images = tf.reshape(x, [-1, 28, 28, 1])
    conv1 = tf.layers.conv2d(images, 8, 5, padding="same", activation=tf.nn.relu)
    pool1 = tf.layers.max_pooling2d(conv1, 2, 2)
    conv2 = tf.layers.conv2d(pool1, 16, 5, padding="same", activation=tf.nn.relu)
    pool2 = tf.layers.max_pooling2d(conv2, 2, 2)
    dense = tf.layers.dense(tf.reshape(pool2, [-1, 7 * 7 * 16]), 64, activation=tf.nn.relu)
    return tf.layers.dense(dense, 10)


def session_loop(mnist, w) -> None:
    """The template's plain Session loop over numpy mini-batches, with ``w.step`` added."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        logits = template_graph(x)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
        with tf.Session(graph=graph) as sess:
            sess.run(tf.global_variables_initializer())
            images = mnist.train_images.reshape(-1, 784)
            for i in range(STEPS):
                batch = slice(i * BATCH, (i + 1) * BATCH)
                _, value = sess.run([train, loss], {x: images[batch], y: mnist.train_labels[batch]})
                w.step(value, session=sess)  # the one call per step
            w.accuracy(sess.run(accuracy, {x: mnist.test_images[:100].reshape(-1, 784), y: mnist.test_labels[:100]}))
    w.close()


def estimator_run(mnist, w, model_dir) -> None:
    """The same network as an Estimator ``model_fn``, trained with ``w.hook()``."""

    def model_fn(features, labels, mode):
        logits = template_graph(features)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train = tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train)

    def input_fn():
        data = tf.data.Dataset.from_tensor_slices(
            (mnist.train_images[: STEPS * BATCH].reshape(-1, 784), mnist.train_labels[: STEPS * BATCH].astype(np.int64))
        )
        return data.batch(BATCH)

    estimator = tf.estimator.Estimator(model_fn, model_dir=str(model_dir))
    estimator.train(input_fn, hooks=[w.hook()], steps=STEPS)
    w.close()


def test_the_template_and_an_estimator_stream_with_one_call(tiny_mnist, tmp_path):
    listen = HeadlessListen(streams=2)
    try:
        w = watch.connect(port=listen.port, token=listen.token, name="template", budget=1.0)
        session_loop(tiny_mnist, w)
        assert w.failed is None
        w = watch.connect(port=listen.port, token=listen.token, name="estimator", budget=1.0)
        estimator_run(tiny_mnist, w, tmp_path / "estimator")
        assert w.failed is None
        lines, err = listen.results()
    finally:
        listen.kill()
    assert len(lines) == 2, err
    template, estimator = lines
    # A budget of 1.0 lets every due fetch through: the kernels and maps arrive even in 12 quick steps.
    assert template["steps"] == STEPS and template["losses"] == STEPS and template["accuracies"] == 1
    assert template["kernels"] >= 1 and template["feature_maps"] >= 1
    assert estimator["steps"] == STEPS and estimator["losses"] == STEPS
    assert estimator["kernels"] >= 1 and estimator["feature_maps"] >= 1


def test_a_keras_model_streams_through_the_callback(tiny_mnist):
    from convviz.bridge.listener import Listener, StreamClosed

    keras = tensorflow.keras
    with Listener(port=0) as live:
        w = watch.connect(port=live.port, token=live.token, name="keras", budget=1.0)
        model = keras.Sequential(
            [
                keras.layers.Reshape((28, 28, 1), input_shape=(28, 28)),
                keras.layers.Conv2D(4, 5, activation="relu"),
                keras.layers.Flatten(),
                keras.layers.Dense(10),
            ]
        )
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile("adam", loss, metrics=["accuracy"])
        images = tiny_mnist.train_images[:64].reshape(-1, 28, 28)
        labels = tiny_mnist.train_labels[:64].astype(np.int64)
        model.fit(
            images, labels, batch_size=16, epochs=1, validation_data=(images, labels), callbacks=[w.keras()], verbose=0
        )
        w.close()
        closed = None
        while closed is None:
            event = live.poll(10)
            assert event is not None, "the stream did not close"
            closed = event if isinstance(event, StreamClosed) else None
    assert w.failed is None
    assert closed.counts["losses"] == 4 and closed.counts["accuracies"] == 1
    assert closed.counts["kernels"] >= 1
