"""How a job runs in a QThread of its own, and how it ends without a deadlock.

superqt's ``new_worker_qthread`` pattern: a ``QObject`` job is moved to a
``QThread``, ``thread.started`` runs ``job.work``, ``job.finished`` quits the thread.

A job is never destroyed in its own thread. Destroying a QObject disconnects its
connections while Qt holds the signal-slot mutex of each object it was connected
to (a mutex from a shared pool, chosen by address), and for the job's connection
to its ``QThread`` (a sip wrapper) that calls ``disconnectNotify``, which waits
for Python's GIL. When the GUI thread holds the GIL and needs a mutex of the same
pool (any ``setText`` of a text item connects and disconnects a document), neither
can move: the window froze for good (the stacks of both threads are in the commit
that made this module). So nothing connects the thread to the job (the job starts
by a queued call), and the job moves back to the thread that started it as its
last act in its own thread, to be deleted there once the thread has finished.
"""

from __future__ import annotations

import weakref

from PyQt5 import QtCore

# Python owns a job (and a thread without a parent): dropped by the caller while it runs, it would be
# destroyed under the running thread ("QThread: Destroyed while thread is still running", abort).
_RUNNING: set = set()


def start_job(job: QtCore.QObject, parent: QtCore.QObject | None = None) -> QtCore.QThread:
    """Run ``job.work`` in a new QThread that quits when the job emits ``finished``.

    Job and thread are kept alive until the thread has finished, whether or not the caller keeps a
    reference; then both are deleted in the calling thread (the GUI thread). Do not touch either
    after the job's ``finished``.
    """
    home = QtCore.QThread.currentThread()
    thread = QtCore.QThread(parent)
    running = (job, thread)
    _RUNNING.add(running)
    job_ref = weakref.ref(job)

    def go_home() -> None:  # in the job's thread, its last act there: it will be destroyed at home
        owned = job_ref()
        if owned is not None:
            owned.moveToThread(home)

    def done() -> None:  # at home, once the thread has finished
        _RUNNING.discard(running)
        job.deleteLater()

    job.moveToThread(thread)
    # A queued call, not thread.started.connect(job.work): no connection from the QThread (a sip wrapper
    # whose disconnectNotify takes the GIL) into the job is left to undo when the job is destroyed.
    QtCore.QMetaObject.invokeMethod(job, "work", QtCore.Qt.QueuedConnection)
    job.finished.connect(go_home, QtCore.Qt.DirectConnection)
    # Direct: QThread.quit is thread-safe, and a queued quit would wait for the GUI thread's event
    # loop, which is blocked in thread.wait() when the window closes: a deadlock until the timeout.
    job.finished.connect(thread.quit, QtCore.Qt.DirectConnection)
    thread.finished.connect(done)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread
