"""The progress bar of a long run: on a terminal's standard error only, never in pipes or CI logs."""

from __future__ import annotations

import os
import sys

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "TF_BUILD")
SHOW_AFTER_SECONDS = 1.0
"""A run that ends sooner shows no bar at all (a pre-commit hook, a single report)."""


class Progress:
    """Counts finished files; draws ``检查 120/1000 [35 份/秒，剩余 00:25]`` when it should."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        if enabled and total > 1 and should_show(sys.stderr):
            from tqdm import tqdm

            self.bar = tqdm(
                total=total,
                desc="检查",
                unit="份",
                delay=SHOW_AFTER_SECONDS,
                file=sys.stderr,
                leave=False,
                dynamic_ncols=True,
                bar_format="{desc} {n_fmt}/{total_fmt} {bar} [{rate_fmt}，剩余 {remaining}]",
            )

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.update()

    def write(self, text: str) -> None:
        """Print ``text`` on standard output without tearing the bar."""
        if self.bar is None:
            sys.stdout.write(text)
            return
        with self.bar.external_write_mode():
            sys.stdout.write(text)
            sys.stdout.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def should_show(stream) -> bool:
    if any(os.environ.get(name) for name in CI_VARIABLES):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
