"""Pausing the cycle collector where many objects are made and none is garbage."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Run the block without the cyclic garbage collector. For work that makes many objects
    that live on or that reference counting frees (starting the app; checking thousands of
    registry candidates): each collection would walk every object of the process for
    nothing. Collections resume after the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
