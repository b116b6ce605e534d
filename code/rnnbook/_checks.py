"""Argument checks shared by the public functions: clear messages, early."""

from __future__ import annotations

import numbers

import numpy as np


def positive_int(name: str, value: object) -> int:
    """Return ``value`` if it is a positive integer, else raise with a clear message."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer (>= 1), got {value}")
    return int(value)


def float_array(name: str, value: object, ndim: int | tuple[int, ...]) -> np.ndarray:
    """Return ``value`` as a float64 array with ``ndim`` dimensions, or raise.

    Accepts lists, NumPy arrays and tensors of real numbers; rejects strings,
    booleans, complex numbers and objects with a message naming the argument.
    """
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of real numbers, got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer)
                                   or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"{name} must have {wanted} dimensions, got shape {array.shape}")
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers, found NaN or infinity")
    return array
