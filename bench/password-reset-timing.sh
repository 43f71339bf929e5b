#!/usr/bin/env bash
# How long POST /api/v1/auth/password-reset takes for an e-mail with an
# account (a reset is stored and its e-mail queued) and for an unknown one
# (nothing is sent), against a real `roster serve` on SQLite. SPEC 11 asks
# for the same answer in the same time; this prints both distributions.
#
#   bench/password-reset-timing.sh [BUILD_DIR] [ACCOUNTS]   (default: build, 30)
#
# Each account can have 3 reset e-mails an hour, so the known side takes
# 3 x ACCOUNTS samples, interleaved with as many unknown e-mails.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
accounts="${2:-30}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export ROSTER_DB="sqlite:$work/roster.db" ROSTER_MAIL="file:$work/mail" ROSTER_LISTEN=127.0.0.1:0
export ROSTER_LOGIN_ADDRESS_LIMIT=1000000 ROSTER_LOG_LEVEL=warn
"$build/roster" migrate >/dev/null
created="$("$build/roster" org create --name "Bench Sales" --admin-email admin@bench.test \
        --admin-name "Bench Admin")"
otp="$(sed -n 's/.*one-time password: *\([^ ]*\).*/\1/ip' <<<"$created" | head -1)"
org="$(sed -n 's/.*organization \([0-9][0-9]*\).*/\1/p' <<<"$created" | head -1)"
"$build/roster" serve >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do
  url="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out" | head -1)"
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { echo "roster serve did not start" >&2; cat "$work/serve.err" >&2; exit 1; }

python3 - "$url" "$otp" "$accounts" "$work/mail" "$org" <<'PY'
import glob, http.client, json, re, statistics, sys, time, urllib.parse

url, otp, accounts, mail_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
parsed = urllib.parse.urlparse(url)

class Client:
    def __init__(self):
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port)
        self.cookie = None
    def post(self, path, body):
        headers = {"Content-Type": "application/json", "X-Requested-With": "roster"}
        if self.cookie: headers["Cookie"] = self.cookie
        start = time.perf_counter()
        self.connection.request("POST", "/api/v1" + path, json.dumps(body), headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        cookie = response.getheader("Set-Cookie")
        if cookie and "roster_session=" in cookie: self.cookie = cookie.split(";")[0]
        return response.status, data, elapsed

def newest_otp(email, count):
    for _ in range(300):
        found = []
        for name in glob.glob(mail_dir + "/*.eml"):
            text = open(name).read()
            if "<" + email + ">" in text:
                found.append(re.search(r"One-time password: (\S+)", text).group(1))
        if len(found) >= count: return found
        time.sleep(0.05)
    raise SystemExit("no e-mail to " + email)

password = "violet umbrella marches north 1847"
admin = Client()
assert admin.post("/auth/login", {"email": "admin@bench.test", "password": otp})[0] == 200
assert admin.post("/auth/password", {"current_password": otp, "new_password": password})[0] == 204
org = sys.argv[5]
for i in range(accounts):
    email = f"rep{i}@bench.test"
    status, body, _ = admin.post(f"/orgs/{org}/invitations", {"email": email, "name": f"Rep Number {i}"})
    assert status == 201, body
for i in range(accounts):
    email = f"rep{i}@bench.test"
    person = Client()
    first = newest_otp(email, 1)[0]
    assert person.post("/auth/login", {"email": email, "password": first})[0] == 200
    assert person.post("/auth/password", {"current_password": first,
                                          "new_password": "quiet harbor lantern 92 sings"})[0] == 204

client = Client()
known, unknown, bodies = [], [], set()
for attempt in range(3):
    for i in range(accounts):
        status, body, elapsed = client.post("/auth/password-reset", {"email": f"rep{i}@bench.test"})
        assert status == 202; known.append(elapsed); bodies.add(body)
        status, body, elapsed = client.post("/auth/password-reset", {"email": f"nobody{attempt}-{i}@bench.test"})
        assert status == 202; unknown.append(elapsed); bodies.add(body)
assert len(bodies) == 1, bodies
newest_otp("rep0@bench.test", 4)  # the invitation and three resets arrived

def describe(name, samples):
    ms = sorted(x * 1000 for x in samples)
    print(f"{name:8} n={len(ms):3}  median {statistics.median(ms):6.2f} ms  mean {statistics.mean(ms):6.2f} ms"
          f"  p90 {ms[int(len(ms) * 0.9)]:6.2f} ms")
describe("known", known)
describe("unknown", unknown)
print(f"median difference (known - unknown): "
      f"{(statistics.median(known) - statistics.median(unknown)) * 1000:+.2f} ms; identical answers: yes")
PY
