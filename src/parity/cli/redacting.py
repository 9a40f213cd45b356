"""Every line parity prints passes through the one redaction policy.

Reports, JSON, markdown, error messages and what uv printed all reach the
user through ``sys.stdout`` and ``sys.stderr``; wrapping those two streams
is the one place that cannot be forgotten when a new message is added.
Text is held until a line is complete, so a URL written in pieces is still
seen whole.
"""

from __future__ import annotations

import sys

from parity.redact import redact_text

TYPE_CHECKING = False  # not typing's: the fast paths (snapshot, fleet push) pass here
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, TextIO


class RedactingStream:
    """A text stream that masks secrets in each complete line before passing it on."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            complete, _, self._pending = self._pending.rpartition("\n")
            self._inner.write(redact_text(complete + "\n"))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._pending:
            self._inner.write(redact_text(self._pending))
            self._pending = ""
        self._inner.flush()

    def __getattr__(self, name: str) -> Any:
        # isatty, fileno, encoding, buffer, ...: as the real stream answers.
        return getattr(self._inner, name)


class redacted_output:  # used as a function: ``with redacted_output():``
    """Wrap ``sys.stdout`` and ``sys.stderr`` for the duration of a command.

    A class rather than ``contextlib.contextmanager``: contextlib's import
    costs ``parity snapshot`` more than its whole redaction.
    """

    def __enter__(self) -> None:
        self._saved = sys.stdout, sys.stderr
        self._streams = RedactingStream(sys.stdout), RedactingStream(sys.stderr)
        sys.stdout, sys.stderr = self._streams

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for stream in self._streams:
            try:  # noqa: SIM105 - contextlib costs this path more than the redaction
                stream.flush()
            except (OSError, ValueError):
                pass
        sys.stdout, sys.stderr = self._saved
