#!/usr/bin/env bash
# The Debian package end to end, on this machine (Debian 12, as root): builds
# it from ./build (scripts/package.sh), checks its contents and control data,
# installs it, runs the installed roster as the user roster (migrate and org
# create on a throw-away database; serve with the installed settings, which
# must find the installed console), checks the unit, upgrades it in place,
# then removes and purges it and checks that nothing is left behind.
# The first failed check ends the test with a message and a non-zero status;
# a package this test installed is purged on the way out either way.
# Usage: scripts/test-package.sh
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "test-package: FAIL: $*" >&2
  exit 1
}
pass() { echo "test-package: ok: $*"; }

[ "$(id -u)" = 0 ] || fail "run as root: the test installs the package"
if dpkg-query -W -f='${Status}' roster 2>/dev/null | grep -qv 'not-installed'; then
  fail "a roster package is already on this machine; the test would purge it (dpkg -P roster first)"
fi
if getent passwd roster >/dev/null; then
  fail "a user roster exists already; the test creates and deletes it"
fi

scratch=$(mktemp -d -t roster-package-XXXXXX)
chmod 0711 "$scratch"  # the user roster reaches its throw-away database inside
server=""
installed=no
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  if [ "$installed" = yes ]; then dpkg -P roster >/dev/null 2>&1 || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
as_roster() { setpriv --reuid=roster --regid=roster --init-groups -- "$@"; }

# --- the package file -------------------------------------------------------
deb=$(bash scripts/package.sh 2>"$scratch/package.log") || {
  cat "$scratch/package.log" >&2
  fail "scripts/package.sh failed"
}
[ -f "$deb" ] || fail "scripts/package.sh printed '$deb', which is no file"
echo "test-package: $deb ($(du -h "$deb" | cut -f1))"

dpkg-deb -c "$deb" >"$scratch/contents"
has_entry() {  # MODE-PREFIX PATH
  grep -Eq "^$1[^ ]* +root/root .* \\./$2\$" "$scratch/contents" ||
    fail "the package lacks ./$2 (mode $1, root/root):
$(cat "$scratch/contents")"
}
has_entry -rwxr-xr-x usr/bin/roster
has_entry -rw-r--r-- usr/share/roster/web/index.html
has_entry -rw-r--r-- lib/systemd/system/roster.service
has_entry -rw-r----- etc/roster/roster.env
grep -q '\./usr/share/roster/web/assets/.*\.js$' "$scratch/contents" ||
  fail "the package holds no console scripts under /usr/share/roster/web/assets"
if grep -Eq '\./(var|tmp|home|root|usr/local)/' "$scratch/contents"; then
  fail "the package installs under /var, /tmp, /home, /root or /usr/local"
fi
pass "contents: /usr/bin/roster, the console, the unit, the settings file"

dpkg-deb -e "$deb" "$scratch/control"
for script in postinst prerm postrm; do
  [ -x "$scratch/control/$script" ] || fail "no executable $script in the package"
  sh -n "$scratch/control/$script" || fail "$script is not valid sh"
done
[ "$(cat "$scratch/control/conffiles")" = /etc/roster/roster.env ] ||
  fail "conffiles should list /etc/roster/roster.env alone, not: $(cat "$scratch/control/conffiles")"
version=$(dpkg-deb -f "$deb" Version)
[ "$(dpkg-deb -f "$deb" Package)" = roster ] || fail "the package is not called roster"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)" ] ||
  fail "the package is not for $(dpkg --print-architecture)"
depends=$(dpkg-deb -f "$deb" Depends)
# Every library the executable names (NEEDED) must come from a package the
# Depends line names; adduser is needed by the postinst.
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$scratch" ./usr/bin/roster
for library in $(readelf -d "$scratch/usr/bin/roster" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  path=$(ldd "$scratch/usr/bin/roster" | awk -v l="$library" '$1 == l { print $3 }')
  [ -n "$path" ] || fail "$library, which roster needs, is not found on this machine"
  owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1) ||
    owner=$(dpkg -S "$path" | head -n 1 | cut -d: -f1)
  # The package, or a name it provides (libspdlog1.10 provides libspdlog1.10-fmt9).
  provides=$(dpkg-query -W -f='${Provides}' "$owner" | tr ',' '\n' | sed 's/(.*//; s/ //g')
  declared=no
  for name in $owner $provides; do
    [[ ", $depends," == *", $name "* || ", $depends," == *", $name,"* ]] && declared=yes
  done
  [ "$declared" = yes ] || fail "Depends lacks $owner (for $library): $depends"
done
[[ ", $depends," == *", adduser"[,\ ]* ]] || fail "Depends lacks adduser: $depends"
pass "control: version $version, conffiles, maintainer scripts, Depends: $depends"

# --- install ------------------------------------------------------------------
installed=yes
dpkg -i "$deb" >"$scratch/install.log" 2>&1 || {
  cat "$scratch/install.log" >&2
  fail "dpkg -i failed"
}
grep -q 'database schema at version' "$scratch/install.log" ||
  fail "the postinst ran no roster migrate: $(cat "$scratch/install.log")"
dpkg-query -W -f='${Status}' roster | grep -q 'install ok installed' ||
  fail "dpkg does not list roster as installed"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd roster) || fail "no user roster"
[ "$uid" -lt 1000 ] && [ "$home" = /var/lib/roster ] && [ "$shell" = /usr/sbin/nologin ] ||
  fail "roster is not a system user (uid $uid, home $home, shell $shell)"
[ "$(stat -c '%U:%G %a' /var/lib/roster)" = "roster:roster 750" ] ||
  fail "/var/lib/roster is $(stat -c '%U:%G %a' /var/lib/roster), not roster:roster 750"
[ "$(stat -c '%U:%G' /var/lib/roster/roster.db)" = roster:roster ] ||
  fail "the postinst's migrate left no database of roster's in /var/lib/roster"
[ "$(stat -c '%U:%G %a' /etc/roster/roster.env)" = "root:roster 640" ] ||
  fail "/etc/roster/roster.env is $(stat -c '%U:%G %a' /etc/roster/roster.env), not root:roster 640"
pass "dpkg -i: user roster, /var/lib/roster, the database migrated, the settings readable by roster"

expected="roster ${version%-*}"
said=$(/usr/bin/roster --version)
[[ "$said" == "$expected" || "$said" == "$expected "* ]] ||
  fail "/usr/bin/roster --version says '$said', not '$expected'"
# Every setting of `roster --help` is in the settings file, with its default.
for name in $(/usr/bin/roster --help | grep -o 'env ROSTER_[A-Z_]*' | cut -d' ' -f2 | sort -u); do
  grep -Eq "^#?$name=" /etc/roster/roster.env || fail "/etc/roster/roster.env does not mention $name"
done
pass "the installed roster --version and its settings file"

# --- the installed roster as the user roster ----------------------------------
throwaway="$scratch/database"
install -d -o roster -g roster "$throwaway"
on_throwaway=(env ROSTER_DB="sqlite:$throwaway/roster.db" ROSTER_MAIL="file:$throwaway/mail")
as_roster "${on_throwaway[@]}" /usr/bin/roster migrate >"$scratch/migrate.log" 2>&1 ||
  fail "roster migrate as roster: $(cat "$scratch/migrate.log")"
as_roster "${on_throwaway[@]}" /usr/bin/roster org create --name "Package Test" \
  --admin-email admin@example.com >"$scratch/org.log" 2>&1 ||
  fail "roster org create as roster: $(cat "$scratch/org.log")"
grep -q '^one-time password: ' "$scratch/org.log" || fail "org create printed no one-time password"
ls "$throwaway"/mail/*.eml >/dev/null 2>&1 || fail "org create wrote no invitation e-mail"
pass "roster migrate and roster org create as roster on a throw-away database"

# As the unit runs it: user roster, in /var/lib/roster, the installed settings
# and nothing else of this environment; the console must be found without a
# ROSTER_WEB_ROOT.
(cd /var/lib/roster && exec env -i PATH=/usr/bin:/bin \
  setpriv --reuid=roster --regid=roster --init-groups -- \
  sh -c 'set -a && . /etc/roster/roster.env && set +a && exec /usr/bin/roster serve --listen 127.0.0.1:0') \
  >"$scratch/serve.out" 2>"$scratch/serve.err" &
server=$!
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$scratch/serve.out")
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || fail "roster serve ended: $(cat "$scratch/serve.err")"
  sleep 0.1
done
[ -n "$url" ] || fail "roster serve did not listen within 10 s: $(cat "$scratch/serve.err")"
curl -fsS "$url/" -o "$scratch/index.html" || fail "GET / failed"
cmp -s "$scratch/index.html" /usr/share/roster/web/index.html ||
  fail "GET / is not the installed console's index.html"
curl -fsS "$url/readyz" >/dev/null || fail "GET /readyz failed"
kill -TERM "$server"
wait "$server" || fail "roster serve did not end cleanly on SIGTERM: $(cat "$scratch/serve.err")"
server=""
pass "roster serve as roster with /etc/roster/roster.env serves /usr/share/roster/web"

# --- the unit -----------------------------------------------------------------
unit=/lib/systemd/system/roster.service
for line in User=roster EnvironmentFile=/etc/roster/roster.env ProtectSystem=strict \
  ProtectHome=true NoNewPrivileges=true PrivateTmp=true PrivateDevices=true \
  ReadWritePaths=/var/lib/roster CapabilityBoundingSet= 'ExecStart=/usr/bin/roster serve'; do
  grep -qx "$line" "$unit" || fail "$unit lacks the line $line"
done
# systemd-analyze reads a unit without a running systemd (it does in a
# container); a warning is a failure too.
if command -v systemd-analyze >/dev/null; then
  verify=$(systemd-analyze verify "$unit" 2>&1) && [ -z "$verify" ] ||
    fail "systemd-analyze verify $unit: $verify"
  # Exposure on systemd's scale of 0 to 100, shown as 0.0 to 10.0.
  security=$(systemd-analyze security --offline=yes --threshold=20 "$unit" 2>&1) ||
    fail "systemd-analyze security rates $unit's exposure above 2: $security"
  pass "systemd-analyze verify, and $(printf '%s\n' "$security" | grep -o 'exposure level.*')"
else
  echo "test-package: note: no systemd-analyze here; skipped verifying the unit"
fi
if [ "$(ps -p 1 -o comm=)" = systemd ]; then
  systemctl is-enabled --quiet roster || fail "roster.service is not enabled after the install"
  systemctl is-active --quiet roster || {
    journalctl -u roster --no-pager -n 30 >&2 || true
    fail "roster.service is not running after the install"
  }
  pass "the service is enabled and running"
else
  echo "test-package: note: systemd is not PID 1 here; skipped checking that the service runs"
fi

# --- upgrade in place: the settings file as the administrator left it ---------
echo "# changed by the administrator" >>/etc/roster/roster.env
dpkg -i "$deb" >"$scratch/upgrade.log" 2>&1 || {
  cat "$scratch/upgrade.log" >&2
  fail "dpkg -i over the installed package failed"
}
grep -q 'database schema at version' "$scratch/upgrade.log" ||
  fail "the upgrade ran no roster migrate: $(cat "$scratch/upgrade.log")"
grep -q '^# changed by the administrator$' /etc/roster/roster.env ||
  fail "the upgrade replaced the administrator's /etc/roster/roster.env"
pass "dpkg -i over itself migrates again and keeps the changed settings file"

# A migration that fails stops the upgrade, loudly; once the cause is fixed,
# dpkg --configure finishes it.
cp /etc/roster/roster.env "$scratch/roster.env"
echo "ROSTER_DB=sqlite:/nonexistent/roster.db" >>/etc/roster/roster.env
if dpkg -i "$deb" >"$scratch/failed.log" 2>&1; then
  fail "dpkg -i succeeded although roster migrate could not open its database"
fi
grep -q 'the database migration failed' "$scratch/failed.log" ||
  fail "a failed migration gave no message: $(cat "$scratch/failed.log")"
dpkg-query -W -f='${Status}' roster | grep -q half-configured ||
  fail "after a failed migration roster is $(dpkg-query -W -f='${Status}' roster), not half-configured"
cp "$scratch/roster.env" /etc/roster/roster.env
dpkg --configure roster >"$scratch/configure.log" 2>&1 || {
  cat "$scratch/configure.log" >&2
  fail "dpkg --configure roster failed after the settings were fixed"
}
pass "a failed migration leaves roster half-configured with a message; dpkg --configure finishes"

# --- remove, then purge ---------------------------------------------------------
dpkg -r roster >"$scratch/remove.log" 2>&1 || { cat "$scratch/remove.log" >&2; fail "dpkg -r failed"; }
[ ! -e /usr/bin/roster ] && [ ! -e /usr/share/roster ] && [ ! -e "$unit" ] ||
  fail "dpkg -r left /usr/bin/roster, /usr/share/roster or the unit behind"
[ -f /var/lib/roster/roster.db ] && [ -f /etc/roster/roster.env ] && getent passwd roster >/dev/null ||
  fail "dpkg -r removed the data, the settings or the user; only a purge may"
pass "dpkg -r removes the program and keeps the data, the settings and the user"

dpkg -P roster >"$scratch/purge.log" 2>&1 || { cat "$scratch/purge.log" >&2; fail "dpkg -P failed"; }
installed=no
if dpkg -L roster >/dev/null 2>&1; then fail "dpkg -L roster still lists files: $(dpkg -L roster)"; fi
for path in /var/lib/roster /etc/roster /usr/share/roster \
  /etc/systemd/system/multi-user.target.wants/roster.service /etc/systemd/system/roster.service \
  /var/lib/systemd/deb-systemd-helper-enabled/roster.service \
  /var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/roster.service \
  /var/lib/systemd/deb-systemd-helper-masked/roster.service; do
  [ ! -e "$path" ] && [ ! -L "$path" ] || fail "the purge left $path behind"
done
getent passwd roster >/dev/null && fail "the purge left the user roster behind"
getent group roster >/dev/null && fail "the purge left the group roster behind"
pass "dpkg -P leaves nothing behind: no files, no data, no settings, no user"
echo "test-package: all checks passed"
