"""The mistakes of the character model's user: each one line, not a bug (18-3)."""


class UserError(Exception):
    """A caller's mistake, explained in one line (18-3): not a bug.

    Each one is also the built-in exception a Python caller expects (a
    ValueError, FileNotFoundError, ...). The command prints it as
    ``error: <message>`` on stderr and exits with status 2; any other
    exception is a bug, and keeps its traceback.
    """


class BadArgument(UserError, ValueError):
    """An argument out of its range, e.g. a temperature so small that softmax overflows."""


class ModelNotFoundError(UserError, FileNotFoundError):
    """A model folder without one of the three files that train writes."""


class ModelFolderError(UserError, ValueError):
    """A model folder that cannot be loaded: damaged, swapped or mismatched files."""


class ModelExistsError(UserError, FileExistsError):
    """train was asked to write a model where one is, without ``overwrite=True``."""


class FolderNotWritableError(UserError, OSError):
    """train cannot write into the folder it was given."""
