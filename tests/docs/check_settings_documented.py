#!/usr/bin/env python3
"""Every setting `roster --help` names (its `[env ROSTER_...]`) has a row in
the settings table of docs/operator-guide.md, so the operator's guide lists
every setting there is. Prints the missing ones and exits 1.

    python3 tests/docs/check_settings_documented.py ROSTER_BINARY docs/operator-guide.md
"""
import re
import subprocess
import sys


def main(binary, guide):
    help_text = subprocess.run([binary, "--help"], check=True, capture_output=True, text=True).stdout
    settings = sorted(set(re.findall(r"env (ROSTER_[A-Z_]+)", help_text)))
    rows = set(re.findall(r"^\| `(ROSTER_[A-Z_]+)` \|", open(guide, encoding="utf-8").read(), re.M))
    missing = [name for name in settings if name not in rows]
    for name in missing:
        print(f"{guide}: no row for {name} in the settings table")
    print(f"{len(settings)} settings, {len(missing)} without a row")
    return 1 if missing or not settings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
