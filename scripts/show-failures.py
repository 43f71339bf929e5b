#!/usr/bin/env python3
"""Prints what the failed tests of the last ctest runs said.

scripts/test.sh runs several suites, and a failure's output ends up in the
middle of a long log, far from its end, which is what a CI page shows first.
This prints it again at the end: per failed test, the last lines of its output
(for the cluster tests, the tails of the servers' logs), then GoogleTest's
failure messages, last and short, since a CI page may keep only the last two
kilobytes of a log.

Usage: scripts/show-failures.py BUILD_DIR...
"""

import pathlib
import sys

TAIL_LINES = 20  # of the end of the output, per test
FAILURE_LINES = 8  # of the failure messages, per test
LINE_WIDTH = 180  # characters of a line shown


def failed_tests(log):
    """Yields (name, output lines) for each test that failed in LastTest.log."""
    name, output, in_output = None, [], False
    for line in log.splitlines():
        if " Testing: " in line and line.split(" ", 1)[0].count("/") == 1:
            name, output, in_output = line.split(" Testing: ", 1)[1], [], False
        elif line == "Output:" and name is not None:
            in_output = True
        elif line == "<end of output>":
            in_output = False
        elif in_output:
            if not line.startswith("-" * 58) or output:
                output.append(line)
        elif line in ("Test Failed.", "Test Failed") and name is not None:
            yield name, output
            name = None


def failure_messages(output):
    """GoogleTest's failure blocks: from a "Failure" line to the next "[ ... ]"."""
    messages, inside = [], False
    for line in output:
        if line.endswith(": Failure") or line == "Failure":
            inside = True
        elif line.startswith("["):
            inside = False
        if inside:
            messages.append(line)
    return messages


def clipped(line):
    return line if len(line) <= LINE_WIDTH else line[:LINE_WIDTH] + " [...]"


def main(directories):
    shown = 0
    for directory in directories:
        log = pathlib.Path(directory, "Testing", "Temporary", "LastTest.log")
        if not log.is_file():
            continue
        for name, output in failed_tests(log.read_text(errors="replace")):
            shown += 1
            print(f"--- {directory}: {name}")
            print(f"[the last {min(TAIL_LINES, len(output))} lines of its output]")
            for line in output[-TAIL_LINES:]:
                print(clipped(line))
            messages = failure_messages(output)
            print(f"[its failure messages: {len(messages)} lines]")
            for line in messages[:FAILURE_LINES]:
                print(clipped(line))
            if len(messages) > FAILURE_LINES:
                print(f"[{len(messages) - FAILURE_LINES} more lines of failure messages in its output above]")
    if shown == 0:
        print("(no failed test in " + ", ".join(directories) + ")")


if __name__ == "__main__":
    main(sys.argv[1:])
