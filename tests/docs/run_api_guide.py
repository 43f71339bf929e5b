#!/usr/bin/env python3
"""Runs every ```sh block of docs/api-guide.md, in order, in one bash, against
a real `roster serve` on a fresh SQLite database: the guide's examples work as
written. The organization "Acme Sales" with the admin ada@acme.example and
the guide's password is made first, as an operator would (`roster org
create`, then the admin sets his password). Two texts of the guide are
replaced: http://localhost:8080 by the server's address, and the webhook URL
by a local one (the server runs with ROSTER_WEBHOOK_ALLOW_HTTP/PRIVATE=1).
Every curl fails on an HTTP error (--fail-with-body), so a 4xx or 5xx, or a
jq that finds nothing, fails the run. Prints the output and exits 1 then.

    python3 tests/docs/run_api_guide.py ROSTER_BINARY docs/api-guide.md
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import urllib.request

ADMIN_EMAIL = "ada@acme.example"
ADMIN_PASSWORD = "violet umbrella marches north 1847"
WEBHOOK_URL = "https://crm.example.com/roster-events"


def call(base, method, path, body, cookie=None):
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Requested-With": "roster",
                 **({"Cookie": cookie} if cookie else {})})
    with urllib.request.urlopen(request) as answer:
        return answer.headers.get("Set-Cookie", "").split(";")[0]


def main(binary, guide):
    blocks = re.findall(r"^```sh\n(.*?)^```", open(guide, encoding="utf-8").read(), re.S | re.M)
    if len(blocks) < 10:
        print(f"only {len(blocks)} sh blocks in {guide}")
        return 1
    with tempfile.TemporaryDirectory() as directory:
        env = dict(os.environ, ROSTER_DB=f"sqlite:{directory}/roster.db",
                   ROSTER_MAIL=f"file:{directory}/mail", ROSTER_LISTEN="127.0.0.1:0",
                   ROSTER_LOG_LEVEL="warn", ROSTER_WEBHOOK_ALLOW_HTTP="1",
                   ROSTER_WEBHOOK_ALLOW_PRIVATE="1")
        subprocess.run([binary, "migrate"], env=env, check=True, capture_output=True)
        created = subprocess.run(
            [binary, "org", "create", "--name", "Acme Sales", "--admin-email", ADMIN_EMAIL,
             "--admin-name", "Ada Admin"], env=env, check=True, capture_output=True, text=True)
        otp = re.search(r"one-time password: (\S+)", created.stdout).group(1)
        server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.PIPE, text=True)
        try:
            base = re.search(r"listening on (\S+)", server.stdout.readline()).group(1)
            cookie = call(base, "POST", "/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": otp})
            call(base, "POST", "/api/v1/auth/password",
                 {"current_password": otp, "new_password": ADMIN_PASSWORD}, cookie)
            script = "set -euo pipefail\n" \
                     "curl() { command curl --fail-with-body --show-error \"$@\"; }\n"
            for number, block in enumerate(blocks, 1):
                script += f"echo '--- block {number}'\n{block}echo\n"
            script = script.replace("http://localhost:8080", base)
            script = script.replace(WEBHOOK_URL, "http://127.0.0.1:9/roster-events")
            run = subprocess.run(["bash", "-c", script], cwd=directory, capture_output=True,
                                 text=True, timeout=120)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print(run.stdout)
    print(run.stderr, file=sys.stderr)
    print(f"{len(blocks)} blocks of {guide}: {'all ran' if run.returncode == 0 else 'one failed'}")
    return 0 if run.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
