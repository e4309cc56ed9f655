#!/usr/bin/env bash
# `make run`: serves the API. Without DATABASE_URL it starts a PostgreSQL of its own in var/pg
# (kept between runs, stopped again when the service stops). Ctrl-C stops the service.
set -euo pipefail
cd "$(dirname "$0")/.."

own_database=false
if [ -z "${DATABASE_URL:-}" ]; then
  scripts/pg.sh start var/pg
  DATABASE_URL=$(scripts/pg.sh url var/pg)
  export DATABASE_URL
  own_database=true
fi
export PERMANENCE_ENVIRONMENT=${PERMANENCE_ENVIRONMENT:-development}
if [ -z "${PERMANENCE_JWT_ALG:-}" ] && [ -z "${PERMANENCE_JWT_SECRET:-}" ]; then
  PERMANENCE_JWT_SECRET=$(cat var/dev-jwt-secret)
  export PERMANENCE_JWT_SECRET
fi
port=${PERMANENCE_PORT:-8080}

cat <<EOT
Permanence is starting on http://127.0.0.1:$port$([ "$own_database" = true ] && echo " (database: var/pg)")
Get a development token in another terminal, and make a first call:
  TOKEN=\$(make -s token SUB=admin-1 ROLES=admin)
  curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$port/v1/people
Ctrl-C stops the service.
EOT

status=0
build/permanenced serve || status=$?
if [ "$own_database" = true ]; then
  scripts/pg.sh stop var/pg
fi
exit "$status"
