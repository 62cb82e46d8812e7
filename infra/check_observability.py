#!/usr/bin/env python3
"""Checks infra/prometheus/alerts.yml and infra/grafana/flagsync.json against each other and
against the code (run by bin/check-infra; standard library only):

1. the dashboard is well-formed Grafana JSON (unique panel ids, grid positions, a Prometheus
   target on every panel, the datasource variable);
2. every metric an alert uses has a panel;
3. every metric the alerts and panels use is registered in the Java sources (Micrometer's
   naming: "flagsync.sync.consumer.lag" is exported as flagsync_sync_consumer_lag, counters
   get _total, timers _seconds_*, a base unit its suffix), so an alert never waits on a metric
   nobody exports;
4. every panel query is valid PromQL: they are written into a rules file as recording rules
   for `promtool check rules` (the path of promtool is the first argument).
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALERTS = ROOT / "infra/prometheus/alerts.yml"
DASHBOARD = ROOT / "infra/grafana/flagsync.json"
METRIC = re.compile(r"\b((?:flagsync|resilience4j|jvm)_[a-z0-9_]+)\b")
SUFFIXES = ["_total", "_bucket", "_count", "_sum", "_max", "_seconds", "_bytes"]
# Metrics registered by a binder rather than by name in our code.
BINDERS = {"resilience4j_circuitbreaker_": "TaggedCircuitBreakerMetrics", "jvm_memory_": "JvmMemoryMetrics"}
PANEL_TYPES = {"row", "timeseries", "stat", "gauge", "table", "state-timeline", "bargauge"}

problems = []


def alert_exprs(text):
    """(alert name, expr) for each rule; exprs are one line or a `|` block."""
    rules, lines, name = [], text.splitlines(), None
    for i, line in enumerate(lines):
        m = re.match(r"\s*- alert:\s*(\S+)", line)
        if m:
            name = m.group(1)
        m = re.match(r"(\s*)expr:\s*(.*)$", line)
        if not m:
            continue
        indent, rest = len(m.group(1)), m.group(2).strip()
        if rest not in ("|", ">", "|-", ">-"):
            rules.append((name, rest))
            continue
        block = []
        for following in lines[i + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following.strip())
        rules.append((name, " ".join(block)))
    return rules


def check_dashboard(dashboard):
    for key in ("uid", "title", "schemaVersion", "panels", "templating"):
        if key not in dashboard:
            problems.append(f"dashboard: missing top-level key {key}")
    if not any(v.get("type") == "datasource" and v.get("name") == "datasource"
               for v in dashboard.get("templating", {}).get("list", [])):
        problems.append("dashboard: no 'datasource' template variable")
    ids, targets = set(), []
    for panel in dashboard.get("panels", []):
        pid, title = panel.get("id"), panel.get("title", "?")
        if not isinstance(pid, int) or pid in ids:
            problems.append(f"dashboard: panel {title!r} has a missing or duplicate id {pid!r}")
        ids.add(pid)
        if panel.get("type") not in PANEL_TYPES:
            problems.append(f"dashboard: panel {title!r} has unknown type {panel.get('type')!r}")
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in "hwxy") or grid.get("x", 0) + grid.get("w", 0) > 24:
            problems.append(f"dashboard: panel {title!r} has an invalid gridPos {grid}")
        if panel.get("type") == "row":
            continue
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            problems.append(f"dashboard: panel {title!r} does not use the $datasource variable")
        if not panel.get("targets"):
            problems.append(f"dashboard: panel {title!r} has no query")
        for target in panel.get("targets", []):
            if not target.get("expr", "").strip():
                problems.append(f"dashboard: panel {title!r} has an empty query")
            targets.append((title, target.get("expr", "")))
    return targets


def exported(metric, java):
    for prefix, binder in BINDERS.items():
        if metric.startswith(prefix):
            return binder in java
    candidates, base = {metric}, metric
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                candidates.add(base)
                changed = True
    return any(f'"{c.replace("_", ".")}"' in java for c in candidates)


def check_promql(targets, promtool):
    rules = {"groups": [{"name": "dashboard-queries", "rules": [
        {"record": f"dashboard:query:{i}",
         "expr": expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")}
        for i, (_, expr) in enumerate(targets)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
        json.dump(rules, f)  # JSON is YAML
        f.flush()
        result = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
    if result.returncode != 0:
        problems.append("dashboard: a panel query is not valid PromQL:\n" + result.stdout + result.stderr)


def main():
    promtool = sys.argv[1] if len(sys.argv) > 1 else "promtool"
    try:
        dashboard = json.loads(DASHBOARD.read_text())
    except ValueError as e:
        print(f"check_observability: {DASHBOARD} is not valid JSON: {e}", file=sys.stderr)
        return 1
    targets = check_dashboard(dashboard)
    rules = alert_exprs(ALERTS.read_text())
    if not rules:
        problems.append(f"{ALERTS}: no alert expressions found")
    java = "\n".join(p.read_text() for p in ROOT.glob("*/src/main/java/**/*.java"))
    panel_metrics = {m for _, expr in targets for m in METRIC.findall(expr)}
    for name, expr in rules:
        for metric in sorted(set(METRIC.findall(expr))):
            if metric not in panel_metrics:
                problems.append(f"alert {name}: metric {metric} has no panel in {DASHBOARD.name}")
    alert_metrics = {m for _, expr in rules for m in METRIC.findall(expr)}
    for metric in sorted(alert_metrics | panel_metrics):
        if not exported(metric, java):
            problems.append(f"metric {metric} is not registered anywhere in */src/main/java")
    check_promql(targets, promtool)
    for problem in problems:
        print(f"check_observability: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_observability: {len(rules)} alerts, {len(targets)} panel queries, "
              f"{len(alert_metrics | panel_metrics)} metrics: every alert metric has a panel and is exported")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
