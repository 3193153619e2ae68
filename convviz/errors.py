"""The one base class of the errors that are meant for the user.

A :class:`ConvVizError` says that the input is wrong (a bad configuration, MNIST
missing or damaged, a model folder that does not load, an image that is not a
digit) or that training cannot go on; ``str(error)`` is one line that names the
problem and, where there is one, the fix. The CLI prints that line; the window
shows it. Any other exception is a bug in ConvViz and is reported as one.

Imports nothing: every core module can subclass it, Python 3.7 included.
"""


class ConvVizError(Exception):
    """An error for the user: ``str(error)`` is one line that says what is wrong."""


class ConfigError(ConvVizError, ValueError):
    """A configuration value or an architecture spec is wrong; the message is one line for the user.

    Defined here, not in ``convviz.config``, so that ``convviz.netspec`` (which config imports) can subclass it.
    """
