"""The progress bar of long runs: documents, documents per second, and the time left.

Drawn with rich on standard error, and only when standard error is a terminal: in a pipe, a
log file or cron it stays quiet. The total is the local files' size in bytes (so the estimate
holds for one big archive too), or the number of URLs; when neither is known (standard
input, a mix of both) the bar shows the rate without an estimate.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress:
    """A context manager; :meth:`update` after each input."""

    def __init__(
        self,
        description: str,
        total: int | None,
        *,
        in_bytes: bool = False,
        console: Console | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = self.console.is_terminal if enabled is None else enabled
        self.started = time.monotonic()
        self.docs = 0
        amount: ProgressColumn = DownloadColumn() if in_bytes else MofNCompleteColumn()
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            amount,
            TextColumn("{task.fields[docs]} docs, {task.fields[rate]} docs/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            disable=not self.enabled,
            transient=False,
        )
        self._task: TaskID = self._progress.add_task(description, total=total, docs=0, rate="0.0")

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def update(self, position: int, docs: int = 1) -> None:
        """``position``: bytes or inputs done so far; ``docs``: documents just handled."""
        self.docs += docs
        elapsed = max(time.monotonic() - self.started, 1e-9)
        self._progress.update(self._task, completed=position, docs=self.docs, rate=f"{self.docs / elapsed:.1f}")

    def log(self, message: str) -> None:
        """A line above the bar (or plain on standard error when there is no bar)."""
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)
