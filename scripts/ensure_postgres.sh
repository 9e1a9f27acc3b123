#!/usr/bin/env bash
# Prints a PostgreSQL server URL (without database name) that the tests may use.
# Uses the server on 127.0.0.1:5432 when one answers; otherwise installs and starts
# Debian's PostgreSQL and connects over its Unix socket as a superuser named after us.
set -euo pipefail
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "postgres://postgres@127.0.0.1:5432"
  exit 0
fi
if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /etc/postgresql | sort -V | tail -n1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
me=$(id -un)
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\" | grep -q 1 || createuser -s '$me'" >&2
echo "postgres://$me@%2Fvar%2Frun%2Fpostgresql"
