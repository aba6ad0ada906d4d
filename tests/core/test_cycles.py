"""The cycle collector is paused only inside the block, and only if it was on."""

import gc

import pytest

from educational.core.cycles import no_cycle_collection


def test_the_collector_is_off_inside_and_back_on_after():
    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_the_collector_back_on():
    with pytest.raises(RuntimeError), no_cycle_collection():
        raise RuntimeError("inside")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_starting_the_app_leaves_the_collector_on(app):
    # ``app`` was just made by create_app, which pauses the collector while it works.
    assert app.extensions["sqlalchemy"] is not None
    assert gc.isenabled()
