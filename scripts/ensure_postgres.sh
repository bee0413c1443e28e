#!/usr/bin/env bash
# Make sure the PostgreSQL *server* binaries (initdb, pg_ctl) are installed: the postgres_table
# tests start their own throwaway clusters with them. Idempotent; installs with apt-get when
# missing, without creating or starting the distribution's own cluster or service.
set -euo pipefail

have_server() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
        || { command -v initdb && command -v pg_ctl; } >/dev/null 2>&1
}

if have_server; then
    echo "ensure_postgres: PostgreSQL server binaries present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_postgres: install the PostgreSQL server (initdb, pg_ctl) with your package" \
         "manager; only apt-get is automated here" >&2
    exit 1
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

# No default cluster, and no service start: policy-rc.d answering 101 forbids invoke-rc.d and
# deb-systemd-invoke from starting daemons while the package installs.
# (createcluster.conf includes createcluster.d: a drop-in keeps any existing settings.)
$SUDO mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" \
    | $SUDO tee /etc/postgresql-common/createcluster.d/cdp-no-main-cluster.conf >/dev/null
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    trap '$SUDO rm -f "$policy"' EXIT
fi

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confold postgresql
have_server || { echo "ensure_postgres: postgresql installed but initdb not found" >&2; exit 1; }
echo "ensure_postgres: PostgreSQL server installed"
