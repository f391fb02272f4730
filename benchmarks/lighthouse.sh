#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices, SEO) of the home, check and
# result pages, served on a free loopback port over a throwaway diary.
#   scripts/install-web-tools    # once: installs Lighthouse into tools/web
#   benchmarks/lighthouse.sh     # prints one line of four scores per page
# Reports are kept in test-artifacts/lighthouse/. Uses Debian's Chromium (CHROME_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTHOUSE=tools/web/node_modules/.bin/lighthouse
if [ ! -x "$LIGHTHOUSE" ]; then
  echo "Lighthouse is not installed: run scripts/install-web-tools" >&2
  exit 2
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
PYTHON=.venv/bin/python
work=$(mktemp -d)
out=test-artifacts/lighthouse
mkdir -p "$out"
port=$($PYTHON -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

UPPERBACK_BENCH_DB="sqlite:///$work/diary.db" UPPERBACK_BENCH_PORT="$port" $PYTHON - <<'PY' &
import os

import uvicorn

from upperback.web import WebSettings, create_app

app = create_app(WebSettings(db_url=os.environ["UPPERBACK_BENCH_DB"], secret_key="lighthouse"))
# A bounded graceful shutdown: a connection Chromium leaves open must not keep it waiting.
uvicorn.run(app, host="127.0.0.1", port=int(os.environ["UPPERBACK_BENCH_PORT"]),
            log_level="warning", timeout_graceful_shutdown=2)
PY
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done

# A saved self-care check gives the result page something to show.
check_id=$(curl -fs -X POST "$base/api/v1/checks" -H 'Content-Type: application/json' \
  -d '{"answers": {"age": 34, "duration_days": 10, "hunched_posture": true, "pain_between_shoulder_blades": true, "pain_dull_ache_tight": true, "desk_hours_per_day": 9, "chest_pain_pressure": false, "fever": false}}' \
  | $PYTHON -c 'import json, sys; print(json.load(sys.stdin)["id"])')
first_question=$(curl -fs -X POST "$base/api/v1/interview" -H 'Content-Type: application/json' \
  -d '{"answers": {}}' | $PYTHON -c 'import json, sys; print(json.load(sys.stdin)["question"]["id"])')

printf '%-28s %11s %13s %14s %5s\n' page performance accessibility best-practices seo
for page in "/" "/check" "/check/q/$first_question" "/result/$check_id"; do
  name=$(echo "$page" | tr '/' '_' | sed 's/^_//; s/^$/home/')
  [ -z "$name" ] && name=home
  "$LIGHTHOUSE" "$base$page" --quiet --output=json --output-path="$out/$name.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null 2>&1 || {
      echo "Lighthouse failed on $page" >&2; exit 1; }
  $PYTHON - "$out/$name.json" "$page" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
scores = [round(report["categories"][c]["score"] * 100)
          for c in ("performance", "accessibility", "best-practices", "seo")]
print(f"{sys.argv[2]:<28} {scores[0]:>11} {scores[1]:>13} {scores[2]:>14} {scores[3]:>5}")
for key in ("performance", "accessibility", "best-practices", "seo"):
    for ref in report["categories"][key]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            print(f"    {key}: {audit['id']}: {audit['title']}")
PY
done
