#!/usr/bin/env bash
# SCIM deactivation of a member who owns 100,000 leads, over HTTP (SPEC 8):
# what an identity provider's `PATCH /scim/v2/Users/{id}` with
# `active: false` costs, end to end, on a real `roster serve`.
#
#   bench/scim-deactivate.sh [--build DIR] [--runs N] [--leads N] [--postgres]
#
# Per run: a new member is invited through the API, signs in with the
# one-time password of his e-mail and sets a password (only someone who
# signed in can be deactivated), `roster leads import` gives him --leads
# leads on one assistant, and the SCIM PATCH in Okta's form deactivates him;
# the organization's offboarding policy (default heir: the admin) places the
# leads. The PATCH is timed by curl; the answer and the leads' new owner are
# checked. SQLite by default; --postgres runs on a throw-away cluster of
# scripts/with-postgres.sh (a test cluster: fsync off).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
runs=3
leads=100000
postgres=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --leads) leads="$2"; shift 2 ;;
    --postgres) postgres=1; shift ;;
    *) echo "usage: bench/scim-deactivate.sh [--build DIR] [--runs N] [--leads N] [--postgres]" >&2; exit 2 ;;
  esac
done
roster="$(pwd)/$build/roster"
[ -x "$roster" ] || { echo "scim-deactivate.sh: $roster not found; build first" >&2; exit 1; }

if [ "$postgres" = 1 ] && [ -z "${ROSTER_TEST_PG_URL:-}" ]; then
  exec scripts/with-postgres.sh "$0" --build "$build" --runs "$runs" --leads "$leads" --postgres
fi

work=$(mktemp -d /tmp/roster-scim-bench-XXXXXX)
roster_pid=""
cleanup() {
  [ -n "$roster_pid" ] && { kill "$roster_pid" 2>/dev/null || true; wait "$roster_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$postgres" = 1 ]; then
  psql "$ROSTER_TEST_PG_URL" -q -c "CREATE DATABASE scim_bench"
  export ROSTER_DB="${ROSTER_TEST_PG_URL%/*}/scim_bench"
else
  export ROSTER_DB="sqlite:$work/roster.db"
fi
export ROSTER_MAIL="file:$work/mail"
export ROSTER_LOG_LEVEL=warn
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ROSTER_LISTEN="127.0.0.1:$port"
base="http://127.0.0.1:$port"

"$roster" migrate >/dev/null
otp=$("$roster" org create --name "SCIM Bench" --admin-email admin@scim.test --admin-name "Bench Admin" |
  sed -n 's/^one-time password: //p')
"$roster" serve >"$work/serve.log" 2>&1 &
roster_pid=$!
for _ in $(seq 1 100); do
  grep -q '^listening on' "$work/serve.log" && break
  sleep 0.1
done

echo "SCIM deactivation of a member owning $leads leads; $([ "$postgres" = 1 ] && echo PostgreSQL || echo SQLite); load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$base" "$otp" "$roster" "$work" "$runs" "$leads" <<'PY'
import email, glob, http.client, json, os, statistics, subprocess, sys, time, urllib.parse

base, admin_otp, roster, work, runs, leads = sys.argv[1:7]
runs, leads = int(runs), int(leads)
host = urllib.parse.urlparse(base).netloc


class Session:
    def __init__(self):
        self.conn = http.client.HTTPConnection(host, timeout=120)
        self.cookie = None
        self.bearer = None

    def call(self, method, path, body=None, content_type="application/json"):
        headers = {"X-Requested-With": "roster"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.bearer:
            headers["Authorization"] = "Bearer " + self.bearer
        if body is not None:
            headers["Content-Type"] = content_type
            body = json.dumps(body)
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("roster_session="):
            self.cookie = cookie.split(";")[0]
        return response.status, (json.loads(data) if data else None)

    def sign_in(self, address, one_time_password, new_password):
        status, _ = self.call("POST", "/api/v1/auth/login", {"email": address, "password": one_time_password})
        assert status == 200, status
        status, body = self.call("POST", "/api/v1/auth/password",
                                 {"current_password": one_time_password, "new_password": new_password})
        assert status in (200, 204), (status, body)
        if status == 204 or not self.cookie:
            status, _ = self.call("POST", "/api/v1/auth/login", {"email": address, "password": new_password})
            assert status == 200, status


def one_time_password(address):
    deadline = time.time() + 30
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(work, "mail", "*.eml")), key=os.path.getmtime, reverse=True):
            message = email.message_from_binary_file(open(path, "rb"))
            if address not in message["To"]:
                continue
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    for line in part.get_payload(decode=True).decode().splitlines():
                        if line.startswith("One-time password: "):
                            return line.split(": ", 1)[1].strip()
        time.sleep(0.05)
    raise SystemExit(f"no e-mail with a one-time password reached {address}")


admin = Session()
admin.sign_in("admin@scim.test", admin_otp, "quiet harbor lantern 4891")
_, me = admin.call("GET", "/api/v1/me")
admin_id = me["user"]["id"]
status, assistant = admin.call("POST", "/api/v1/orgs/1/assistants", {"name": "Bench Assistant"})
assert status == 201, (status, assistant)
status, body = admin.call("PATCH", "/api/v1/orgs/1/settings", {"offboarding": {"heir_user_id": admin_id}},
                          "application/merge-patch+json")
assert status == 200, (status, body)
status, key = admin.call("POST", "/api/v1/orgs/1/api-keys", {"name": "Okta", "scope": "scim"})
assert status == 201, (status, key)
scim = Session()
scim.bearer = key["key"]

times = []
for run in range(1, runs + 1):
    address = f"rep{run}@scim.test"
    status, member = admin.call("POST", "/api/v1/orgs/1/invitations",
                                {"email": address, "name": f"Rep {run}", "role": "user",
                                 "assistant_ids": [assistant["id"]]})
    assert status == 201, (status, member)
    Session().sign_in(address, one_time_password(address), "amber kettle orbit 7730")
    csv = os.path.join(work, "leads.csv")
    with open(csv, "w") as f:
        f.write("name,email,company,assistant,owner_email\n")
        for i in range(leads):
            f.write(f"Lead {run}-{i},lead{i}@prospect.test,Prospect {i % 97},{assistant['id']},{address}\n")
    subprocess.run([roster, "leads", "import", "--org", "1", "--csv", csv], check=True, stdout=subprocess.DEVNULL)

    _, before = admin.call("GET", f"/api/v1/orgs/1/members/{member['user_id']}")
    assert before["lead_count"] == leads, before
    patch = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations": [{"op": "replace", "value": {"active": False}}]}
    started = time.perf_counter()
    status, body = scim.call("PATCH", f"/scim/v2/Users/{member['user_id']}", patch, "application/scim+json")
    elapsed = (time.perf_counter() - started) * 1000
    assert status == 200 and body["active"] is False, (status, body)
    _, left = admin.call("GET", f"/api/v1/orgs/1/leads?owner_id={member['user_id']}&limit=1")
    assert left["items"] == [], left
    times.append(elapsed)
    print(f"  run {run}: PATCH active=false moved {leads} leads in {elapsed:,.0f} ms")

print(f"  median {statistics.median(times):,.0f} ms over {runs} runs")
PY
