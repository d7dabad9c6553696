#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on this machine for the tests, and prints the URL of a
# database they may use (tiyan_test, owned by the current superuser role). Installs Debian's
# postgresql when no server is installed; starts a stopped cluster with pg_ctlcluster.
# Prints nothing and exits 0 when TIYAN_TEST_DATABASE_URL is already set.
set -euo pipefail
if [ -n "${TIYAN_TEST_DATABASE_URL:-}" ]; then echo "$TIYAN_TEST_DATABASE_URL"; exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "postgres: not root; set TIYAN_TEST_DATABASE_URL to a database the tests may use" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "postgres: installing Debian's postgresql" >&2
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
fi
cluster=$(pg_lsclusters -h | head -1)
if [ -z "$cluster" ]; then
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_createcluster "$ver" main >&2
  cluster=$(pg_lsclusters -h | head -1)
fi
read -r ver name port status _ <<<"$cluster"
if [ "$status" != online ]; then
  pg_ctlcluster "$ver" "$name" start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -p $port" && break
  sleep 1
done
su postgres -c "psql -q -p $port -tc \"select 1 from pg_roles where rolname='tiyan'\"" | grep -q 1 ||
  su postgres -c "psql -q -p $port -c \"create role tiyan login superuser password 'tiyan'\"" >&2
su postgres -c "psql -q -p $port -tc \"select 1 from pg_database where datname='tiyan_test'\"" | grep -q 1 ||
  su postgres -c "createdb -p $port -O tiyan tiyan_test" >&2
echo "postgres://tiyan:tiyan@127.0.0.1:$port/tiyan_test?sslmode=disable"
