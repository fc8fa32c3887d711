#!/usr/bin/env python3
"""Where a Spark job's time goes, from its event log: per phase and per stage.

Usage:
    scripts/spark-overhead.py EVENT_LOG [--stages] [--json]

EVENT_LOG is what Spark wrote with ``spark.eventLog.enabled=true`` and
``spark.eventLog.dir=DIR``: a file, or Spark 4's rolling folder ``DIR/eventlog_v2_<app>``
(its ``events_<n>_<app>`` files are read in order). Files ending in ``.zstd`` are read through
the ``zstd`` command (Spark 4 compresses with zstd by default; ``--conf
spark.eventLog.compress=false`` writes plain JSON), ``.gz`` with gzip; ``.lz4`` and ``.snappy``
are not read. Only the standard library is needed.

    python -m retrace.spark scan CORPUS --out OUT --master 'local[2]' \\
        --conf spark.eventLog.enabled=true --conf spark.eventLog.dir=/tmp/events
    scripts/spark-overhead.py /tmp/events/eventlog_v2_local-*

Phases are the jobs' descriptions (``spark.job.description``: ``retrace.spark.scan`` names
its jobs ``retrace read``, ``retrace keys``, ...; other jobs are grouped by their description
or as ``(none)``). For each phase it prints:

- wall: from the first job of the phase to the first job of the next (the last phase: to its
  last job's end), so it includes the driver's work between jobs; jobs: the union of the jobs'
  running intervals; jobs, stages and tasks run (skipped stages are not counted);
- task time summed over tasks (on ``local[2]`` up to twice the wall): the task's launch to
  finish, the executor's deserialization, run time, CPU time (the JVM thread's: a Python
  worker's CPU is another process's and is not in it), JVM GC, result serialization, and the
  scheduler delay (task time less deserialization, run, result serialization and getting the
  result);
- shuffle: bytes and records written and the write time, bytes read and the fetch wait;
  bytes spilled to disk (``--json`` has the memory spill too: the same data's size in memory);
- Python workers, from the SQL metrics Spark 4 records on its Arrow Python nodes (MapInArrow,
  FlatMapGroupsInArrow, ArrowEvalPython, ...): data sent to and returned from Python, rows
  returned, and two of the times Spark measures per task: "time to run Python workers" (from
  the task's start of the Python runner to the worker's end of the task, waiting for its input
  included) and "time to execute Python code" (the worker's processing loop: reading Arrow
  batches from the socket, the function, writing the results back). "Time to start" and "to
  initialize Python workers" are in ``--json`` only: with worker reuse (Spark's default) a
  worker's clock for them starts when it finished its previous task, so they count its idle
  time (they exceed the task's time). And the task time of stages that run a PythonRDD
  (pickled rows through Python, e.g. ``rdd.zipWithIndex().map``), which have no such metrics.

Then it splits each phase's task time: Python workers (the Arrow nodes' "time to run Python
workers" and the PythonRDD stages' task time: the task thread waits for them, so it is part of
run time), shuffle write and fetch wait, GC, per-task overheads (deserialization, result
serialization, scheduler delay), the rest of the JVM's run time (sorts, aggregations, joins,
checkpoints), and the cores' idle time (the executors' cores × the phase's wall − task time:
the driver's work, job and stage scheduling, stages with fewer tasks than cores).

``--stages`` prints the same figures per stage; ``--json`` prints them all as JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from typing import Any, Dict, Iterator, List, Tuple

# The Python nodes' SQL metrics, by the names the log gives them (sizes in bytes, times in ms).
PYTHON_METRICS = {
    "data sent to Python workers": "py_sent",
    "data returned from Python workers": "py_received",
    "time to start Python workers": "py_boot_ms",
    "time to initialize Python workers": "py_init_ms",
    "time to run Python workers": "py_total_ms",
    "time to execute Python code": "py_exec_ms",
}

CORES: Dict[str, int] = {}  # executor -> cores, as the log says

# Plan nodes that run Python: their "number of output rows" is what Python returned.
PYTHON_NODE = re.compile(r"Arrow|Pandas|Python")


def log_files(path: str) -> List[str]:
    if os.path.isdir(path):
        def number(name: str) -> int:
            found = re.match(r"events_(\d+)_", name)
            return int(found.group(1)) if found else 0

        names = sorted((n for n in os.listdir(path) if n.startswith("events_")), key=number)
        if not names:
            sys.exit(f"spark-overhead: no events_* files in {path}")
        return [os.path.join(path, n) for n in names]
    return [path]


def lines(path: str) -> Iterator[str]:
    if path.endswith(".zstd") or path.endswith(".zst"):
        try:
            from compression import zstd  # type: ignore[import-not-found]  # Python 3.14+

            with zstd.open(path, "rt", encoding="utf-8") as text:
                yield from text
            return
        except ImportError:
            pass
        try:
            done = subprocess.run(["zstd", "-dc", path], capture_output=True, check=False)
        except FileNotFoundError:
            sys.exit(
                f"spark-overhead: {path} is zstd-compressed and there is no zstd command: "
                "install zstd, or run Spark with spark.eventLog.compress=false"
            )
        # A log still being written ends mid-frame: keep what was decoded.
        yield from done.stdout.decode("utf-8", "replace").splitlines()
    elif path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as text:
            yield from text
    elif path.endswith((".lz4", ".snappy", ".lzf")):
        sys.exit(f"spark-overhead: {path}: only plain, .zstd and .gz logs are read")
    else:
        with open(path, encoding="utf-8") as text:
            yield from text


def events(path: str) -> Iterator[Dict[str, Any]]:
    for name in log_files(path):
        for line in lines(name):
            line = line.strip()
            if line:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue  # the last line of a log still being written


def plan_nodes(plan: Dict[str, Any], into: Dict[int, str]) -> None:
    """Accumulator id -> the plan node's name, over the whole tree."""
    for metric in plan.get("metrics", []):
        into[metric["accumulatorId"]] = plan["nodeName"]
    for child in plan.get("children", []):
        plan_nodes(child, into)


def zero() -> Dict[str, Any]:
    return defaultdict(float)


def read(path: str) -> Tuple[Dict[int, Dict[str, Any]], Dict[int, Dict[str, Any]]]:
    node_of: Dict[int, str] = {}
    jobs: Dict[int, Dict[str, Any]] = {}
    stage_job: Dict[int, int] = {}
    stages: Dict[int, Dict[str, Any]] = {}
    for event in events(path):
        kind = event.get("Event", "")
        if kind == "SparkListenerExecutorAdded":
            CORES[event.get("Executor ID", "")] = (event.get("Executor Info") or {}).get(
                "Total Cores", 0
            )
        elif "sparkPlanInfo" in event:  # SQL execution start and its adaptive updates
            plan_nodes(event["sparkPlanInfo"], node_of)
        elif kind == "SparkListenerJobStart":
            props = event.get("Properties") or {}
            job = event["Job ID"]
            jobs[job] = {
                "phase": props.get("spark.job.description") or "(none)",
                "start": event["Submission Time"],
                "end": event["Submission Time"],
            }
            for stage in event.get("Stage IDs", []):
                stage_job.setdefault(stage, job)
        elif kind == "SparkListenerJobEnd":
            if event["Job ID"] in jobs:
                jobs[event["Job ID"]]["end"] = event["Completion Time"]
        elif kind == "SparkListenerStageCompleted":
            info = event["Stage Info"]
            stage = stages.setdefault(info["Stage ID"], zero())
            stage["name"] = info.get("Stage Name", "")
            stage["job"] = stage_job.get(info["Stage ID"], -1)
            stage["python_rdd"] = any(
                "PythonRDD" in (rdd.get("Name") or "") for rdd in info.get("RDD Info", [])
            )
            stage["wall_ms"] = (info.get("Completion Time") or 0) - (
                info.get("Submission Time") or 0
            )
        elif kind == "SparkListenerTaskEnd":
            s = stages.setdefault(event["Stage ID"], zero())
            task = event.get("Task Info") or {}
            metrics = event.get("Task Metrics") or {}
            s["tasks"] += 1
            duration = task.get("Finish Time", 0) - task.get("Launch Time", 0)
            s["task_ms"] += duration
            deser = metrics.get("Executor Deserialize Time", 0)
            run = metrics.get("Executor Run Time", 0)
            result_ser = metrics.get("Result Serialization Time", 0)
            getting = (
                task["Finish Time"] - task["Getting Result Time"]
                if task.get("Getting Result Time")
                else 0
            )
            s["deserialize_ms"] += deser
            s["run_ms"] += run
            s["cpu_ms"] += metrics.get("Executor CPU Time", 0) / 1e6
            s["gc_ms"] += metrics.get("JVM GC Time", 0)
            s["result_ser_ms"] += result_ser
            s["scheduler_delay_ms"] += max(0, duration - deser - run - result_ser - getting)
            s["spill_memory"] += metrics.get("Memory Bytes Spilled", 0)
            s["spill_disk"] += metrics.get("Disk Bytes Spilled", 0)
            write = metrics.get("Shuffle Write Metrics") or {}
            s["shuffle_write"] += write.get("Shuffle Bytes Written", 0)
            s["shuffle_write_records"] += write.get("Shuffle Records Written", 0)
            s["shuffle_write_ms"] += write.get("Shuffle Write Time", 0) / 1e6
            fetch = metrics.get("Shuffle Read Metrics") or {}
            s["shuffle_read"] += fetch.get("Remote Bytes Read", 0) + fetch.get("Local Bytes Read", 0)
            s["shuffle_read_records"] += fetch.get("Total Records Read", 0)
            s["fetch_wait_ms"] += fetch.get("Fetch Wait Time", 0)
            for acc in task.get("Accumulables", []):
                field = PYTHON_METRICS.get(acc.get("Name", ""))
                if acc.get("Name") == "number of output rows" and PYTHON_NODE.search(
                    node_of.get(acc.get("ID"), "")
                ):
                    field = "py_rows"
                if field is None:
                    continue
                try:
                    update = float(acc.get("Update", 0))
                except (TypeError, ValueError):
                    continue
                s[field] += update
                node = node_of.get(acc.get("ID"), "Python node, plan not in the log")
                s.setdefault("py_nodes", set()).add(node)
                if field == "py_total_ms":
                    s["py_tasks"] += 1
    for number, stage in stages.items():
        job = jobs.get(int(stage.get("job", -1)))
        stage["phase"] = job["phase"] if job else "(none)"
    return jobs, stages


SUMMED = [
    "tasks", "task_ms", "deserialize_ms", "run_ms", "cpu_ms", "gc_ms", "result_ser_ms",
    "scheduler_delay_ms", "shuffle_write", "shuffle_write_records", "shuffle_write_ms",
    "shuffle_read", "shuffle_read_records", "fetch_wait_ms", "spill_memory", "spill_disk",
    "py_sent", "py_received", "py_rows", "py_boot_ms", "py_init_ms", "py_total_ms", "py_exec_ms", "py_tasks",
]


def union_ms(intervals: List[Tuple[int, int]]) -> int:
    total, end = 0, None
    for a, b in sorted(intervals):
        if end is None or a > end:
            total += b - a
            end = b
        elif b > end:
            total += b - end
            end = b
    return total


def phases(jobs: Dict[int, Dict[str, Any]], stages: Dict[int, Dict[str, Any]]) -> List[Dict[str, Any]]:
    order: List[str] = []
    for job in sorted(jobs.values(), key=lambda j: j["start"]):
        if job["phase"] not in order:
            order.append(job["phase"])
    rows = []
    for i, name in enumerate(order):
        own = [j for j in jobs.values() if j["phase"] == name]
        start = min(j["start"] for j in own)
        later = [min(j["start"] for j in jobs.values() if j["phase"] == n) for n in order[i + 1:]]
        end = min(later) if later else max(j["end"] for j in own)
        row: Dict[str, Any] = {"phase": name, "wall_ms": end - start, "jobs": len(own)}
        row["jobs_ms"] = union_ms([(j["start"], j["end"]) for j in own])
        mine = [s for s in stages.values() if s["phase"] == name and s["tasks"]]
        row["stages"] = len(mine)
        for key in SUMMED:
            row[key] = sum(s.get(key, 0) for s in mine)
        row["python_rdd_ms"] = sum(s["task_ms"] for s in mine if s.get("python_rdd"))
        rows.append(row)
    return rows


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f}"


def s(ms: float) -> str:
    return f"{ms / 1000:,.1f}"


def table(rows: List[Dict[str, Any]], first: str) -> None:
    columns = [
        (first, lambda r: str(r[first])),
        ("wall s", lambda r: s(r["wall_ms"])),
        ("tasks", lambda r: f"{int(r['tasks'])}"),
        ("task s", lambda r: s(r["task_ms"])),
        ("run s", lambda r: s(r["run_ms"])),
        ("JVM CPU s", lambda r: s(r["cpu_ms"])),
        ("GC s", lambda r: s(r["gc_ms"])),
        ("deser s", lambda r: s(r["deserialize_ms"])),
        ("res ser s", lambda r: s(r["result_ser_ms"])),
        ("sched s", lambda r: s(r["scheduler_delay_ms"])),
        ("shuf W MB", lambda r: mb(r["shuffle_write"])),
        ("W recs", lambda r: f"{int(r['shuffle_write_records']):,}"),
        ("W s", lambda r: s(r["shuffle_write_ms"])),
        ("shuf R MB", lambda r: mb(r["shuffle_read"])),
        ("fetch s", lambda r: s(r["fetch_wait_ms"])),
        ("spill MB", lambda r: mb(r["spill_disk"])),
        ("to Py MB", lambda r: mb(r["py_sent"])),
        ("from Py MB", lambda r: mb(r["py_received"])),
        ("Py rows", lambda r: f"{int(r['py_rows']):,}"),
        ("Py run s", lambda r: s(r["py_total_ms"])),
        ("Py exec s", lambda r: s(r["py_exec_ms"])),
        ("PythonRDD s", lambda r: s(r.get("python_rdd_ms", 0))),
    ]
    rows = [defaultdict(float, r) for r in rows]
    cells = [[name for name, _ in columns]] + [[f(r) for _, f in columns] for r in rows]
    print("| " + " | ".join(cells[0]) + " |")
    print("|" + "---|" * len(columns))
    for row in cells[1:]:
        print("| " + " | ".join(row) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log", help="an event log file or a Spark 4 eventlog_v2_* folder")
    parser.add_argument("--stages", action="store_true", help="also a row per stage")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    jobs, stages = read(args.log)
    rows = phases(jobs, stages)
    total: Dict[str, Any] = {"phase": "all"}
    if jobs:
        total["wall_ms"] = max(j["end"] for j in jobs.values()) - min(j["start"] for j in jobs.values())
    for key in SUMMED + ["python_rdd_ms", "jobs", "stages", "jobs_ms"]:
        total[key] = sum(r.get(key, 0) for r in rows)
    stage_rows = []
    for number in sorted(stages):
        st = dict(stages[number])
        if not st.get("tasks"):
            continue
        st["stage"] = number
        st["py_nodes"] = sorted(st.get("py_nodes", ()))
        st["python_rdd_ms"] = st["task_ms"] if st.get("python_rdd") else 0
        stage_rows.append(st)
    if args.json:
        json.dump({"phases": rows + [total], "stages": stage_rows}, sys.stdout, indent=1, default=list)
        print()
        return 0
    print(f"{len(jobs)} jobs, {sum(r['stages'] for r in rows)} stages run, "
          f"{int(total['tasks'])} tasks; jobs' union {s(total['jobs_ms'])} s of "
          f"{s(total.get('wall_ms', 0))} s from the first job to the last\n")
    table(rows + [total], "phase")
    # Task time split: Python workers, shuffle, JVM (the rest of run time), per-task overhead.
    print("\nTask time split (task-seconds; Python = 'time to run Python workers' of the Arrow "
          "nodes + the task time of PythonRDD stages, which overlaps the JVM's run time it "
          "waits in):\n")
    cores = sum(CORES.values())
    print("| phase | task s | Python workers s | of which executing s | shuffle write+fetch s "
          f"| GC s | deser+res ser+sched s | JVM rest s | idle core s ({cores} cores × wall "
          "− task s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows + [total]:
        python = r["py_total_ms"] + r["python_rdd_ms"]
        shuffle = r["shuffle_write_ms"] + r["fetch_wait_ms"]
        fixed = r["deserialize_ms"] + r["result_ser_ms"] + r["scheduler_delay_ms"]
        rest = r["task_ms"] - python - shuffle - r["gc_ms"] - fixed
        idle = cores * r.get("wall_ms", 0) - r["task_ms"]
        print(f"| {r['phase']} | {s(r['task_ms'])} | {s(python)} | {s(r['py_exec_ms'])} | "
              f"{s(shuffle)} | {s(r['gc_ms'])} | {s(fixed)} | {s(rest)} | {s(idle)} |")
    if args.stages:
        print()
        for st in stage_rows:
            st["name"] = f"{st['stage']} {st['phase']}: {st['name'][:40]}" + (
                f" [{','.join(st['py_nodes'])}]" if st["py_nodes"] else ""
            ) + (" [PythonRDD]" if st.get("python_rdd") else "")
        table(stage_rows, "name")
    return 0


if __name__ == "__main__":
    sys.exit(main())
