#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running Roster with a demo
# organization on the embedded default (SQLite under ./var, e-mails as .eml
# files under ./var/mail). Prints where to sign in and the one-time password.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh -DROSTER_BUILD_TESTS=OFF

export ROSTER_DB="${ROSTER_DB:-sqlite:./var/roster.db}"
export ROSTER_MAIL="${ROSTER_MAIL:-file:./var/mail}"
export ROSTER_LISTEN="${ROSTER_LISTEN:-127.0.0.1:8080}"
export ROSTER_PUBLIC_URL="${ROSTER_PUBLIC_URL:-http://localhost:${ROSTER_LISTEN##*:}}"
mkdir -p var

./build/roster migrate
admin_email="${DEMO_ADMIN_EMAIL:-admin@example.com}"
if [ ! -f var/demo-organization.txt ]; then
  ./build/roster org create --name "${DEMO_ORG_NAME:-Demo Sales}" \
    --admin-email "$admin_email" --admin-name "${DEMO_ADMIN_NAME:-Demo Admin}" \
    | tee var/demo-organization.txt
fi
otp=$(sed -n 's/^one-time password: //p' var/demo-organization.txt)
cat <<MSG

  Roster is starting.
  Open:              ${ROSTER_PUBLIC_URL}
  E-mail:            ${admin_email}
  One-time password: ${otp}   (valid 24 hours; you will set your own password)
  E-mails sent:      ./var/mail/*.eml

MSG
exec ./build/roster serve
