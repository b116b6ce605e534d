"""Argument checks shared by the public functions: clear messages, early."""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np


def positive_int(name: str, value: object) -> int:
    """Return ``value`` if it is a positive integer, else raise with a clear message."""
    _require_integer(name, value, "a positive integer")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer (>= 1), got {value}")
    return int(value)


def non_negative_int(name: str, value: object) -> int:
    """Return ``value`` if it is an integer >= 0 (a length, a seed), else raise."""
    _require_integer(name, value, "an integer >= 0")
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value}")
    return int(value)


def integer_in(name: str, value: object, low: int, high: int, what: str = "") -> int:
    """Return ``value`` if it is an integer in ``low..high`` (an axis, a layer), else raise.

    ``what`` says where the range comes from, e.g. "the model has 2 layers".
    """
    wanted = f"an integer in {low}..{high}" + (f" ({what})" if what else "")
    _require_integer(name, value, wanted)
    if not low <= value <= high:
        raise ValueError(f"{name} must be {wanted}, got {value}")
    return int(value)


def boolean(name: str, value: object) -> bool:
    """Return ``value`` if it is True or False (not 0, 1 or "no"), else a TypeError."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _require_integer(name: str, value: object, wanted: str) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {wanted}, got {type(value).__name__} {value!r}")


def string(name: str, value: object) -> str:
    """Return ``value`` if it is a str, else raise a TypeError naming the argument."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


def finite_positive_float(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number > 0 (a temperature), else raise.

    Rejects zero, negative numbers, NaN and infinities (ValueError) and
    booleans, strings and other non-numbers (TypeError).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a finite number > 0, got {type(value).__name__} "
                        f"{value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {float(value)!r}")
    return float(value)


def real_in(name: str, value: object, low: float, high: float, high_open: bool = False) -> float:
    """Return ``value`` as a float if it is a real number in [low, high] (or [low, high)).

    Booleans, strings and NaN are refused with the same message.
    """
    bracket = ")" if high_open else "]"
    is_real = (isinstance(value, numbers.Real) and not isinstance(value, bool)
               and math.isfinite(value))
    if not (is_real and low <= value and (value < high if high_open else value <= high)):
        raise ValueError(f"{name} must be a number in [{low}, {high}{bracket}, got {value!r}")
    return float(value)


def folder_path(name: str, value: object) -> Path:
    """Return ``value`` as a Path if it names a folder (a str or os.PathLike), else raise.

    An empty or blank string is refused: ``Path("")`` would quietly mean the
    current directory.
    """
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a folder path (str or pathlib.Path), got "
                        f"{type(value).__name__} {value!r}")
    if not value.strip():
        raise ValueError(f"{name} must name a folder, got {value!r}")
    return Path(value)


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


def checked_by(check: Callable[..., dict]) -> Callable:
    """Decorator: ``check`` sees a function's arguments first, so its body is the algorithm.

    ``check`` is called with every argument by name (defaults filled in); it
    raises for a bad one, with the message the caller sees, and returns a
    dict of the arguments it converted (``{"length": 5}`` for ``np.int64(5)``;
    ``{}`` for none), which the function receives in their place.
    """
    def decorate(function: Callable) -> Callable:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def checked(*args, **kwargs):
            try:
                arguments = signature.bind(*args, **kwargs)
            except TypeError:                   # a wrong call: Python's own message says so
                return function(*args, **kwargs)
            arguments.apply_defaults()
            arguments.arguments.update(check(**arguments.arguments))
            return function(*arguments.args, **arguments.kwargs)

        return checked

    return decorate
