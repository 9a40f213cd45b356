"""What the ``parity`` command does before anything else is imported.

Only modules the interpreter has already loaded are used here (``sys``,
``os``, the C module ``_signal``): importing ``signal`` or ``typing`` would
itself take long enough for a Ctrl-C to land in the middle of it.
"""

import _signal  # type: ignore[import-not-found]
import os
import sys


def _exit_quietly(signum, frame):  # type: ignore[no-untyped-def]
    try:
        sys.stderr.write("Interrupted.\n")
        sys.stderr.flush()
    finally:
        os._exit(130)  # nothing has started yet: nothing to clean up


def quiet_interrupts() -> None:
    """Until the CLI takes over, Ctrl-C exits with status 130 and one line."""
    try:
        _signal.signal(_signal.SIGINT, _exit_quietly)
    except (ValueError, OSError):  # not the main thread, or no signals here
        return


def usual_interrupts() -> None:
    """Ctrl-C raises KeyboardInterrupt again (the CLI catches it where it can clean up)."""
    try:
        if _signal.getsignal(_signal.SIGINT) is _exit_quietly:
            _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    except (ValueError, OSError):
        return
