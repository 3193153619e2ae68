"""The notebook bridge: a student's own TF training streamed into ConvViz over a local socket.

:mod:`.protocol` (the bounded frames both sides speak), :mod:`.listener` (the
window's or ``listen --headless``'s side: a thread per connection, typed events
out). The student's side is :mod:`convviz.watch`. No Qt, no TensorFlow.
"""
