"""Plain-text tables of one size's figures, and of the summary across sizes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scalebench.figures import DATA_STAGES

Row = Sequence[object]


def table(headers: Row, rows: list[Row]) -> str:
    """A fixed-width table: first column left-aligned, the others right-aligned."""
    cells = [[_cell(v) for v in row] for row in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def size_report(doc: dict[str, Any]) -> str:
    """Every figure of one size, as the command prints it."""
    kam = doc["kamreport"]
    out = [
        f"\n=== {doc['size']}: {kam['sales_lines']:,} sales lines, {doc['dataset']['accounts']:,} accounts, "
        f"{kam['key_accounts']:,} key accounts, {kam['groups']:,} groups, {kam['workers']} workers ===",
        "\nkamreport — stages (peak: exact RSS high-water mark of the pack process; tree: sampled sum over it "
        "and its workers and kernels)",
        table(["stage", "seconds", "peak MiB", "tree MiB"], _stage_rows(kam)),
        "\nkamreport — render jobs (seconds per job, in a worker)",
        table(["kind", "jobs", "median", "p90", "max", "sum"], _job_rows(kam["jobs"])),
        _render_line(kam),
        _e2e_line("kamreport end to end", kam["end_to_end"]),
    ]
    if kam["jobs_failed"]:
        out.append(f"  FAILED jobs: {[j['id'] for j in kam['jobs_failed']]}")
    base = doc.get("baseline")
    if base:
        out += [
            f"\nbaseline — {base['jobs_run']} of {base['jobs_total']} notebooks (fresh kernel each, "
            "re-reading the CSV exports), seconds per job",
            table(["kind", "jobs", "median", "p90", "max", "sum"], _job_rows(base["jobs"])),
            f"  of a job: papermill execution median {base['execute_seconds'].get('median')} s, "
            f"nbconvert command median {base['convert_seconds'].get('median')} s; "
            f"peak tree RSS {base['tree_peak_mib']:,.0f} MiB; measured wall {base['measured_seconds']:.1f} s",
            _e2e_line("baseline end to end", base["end_to_end"]),
        ]
        if base["jobs_failed"]:
            out.append(f"  FAILED jobs: {base['jobs_failed']}")
    if doc.get("comparison"):
        c = doc["comparison"]
        out.append(
            f"\nbaseline / kamreport = {c['baseline_seconds']:,.1f} s ({c['baseline_basis']}) / "
            f"{c['kamreport_seconds']:,.1f} s ({c['kamreport_basis']}) = {c['ratio']:.2f}×"
        )
    out += ["\ntargets", table(["target", "measured", "basis", "met"], _target_rows(doc["targets"]))]
    return "\n".join(out)


def _stage_rows(kam: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    reading = kam["reading_alone"]
    for name, stage in kam["stages"].items():
        rows.append([name, stage["seconds"], stage["parent_peak_mib"], stage["tree_peak_mib"]])
        if name == "load_validate":
            sales = ["  of it, reading the sales CSV alone", reading["sales_seconds"], reading["sales_peak_mib"], None]
            rows.append(sales)
            rows.append(["  of it, reading every table alone", reading["all_tables_seconds"], None, None])
        if name == DATA_STAGES[-1]:
            rows.append(["load + validate + aggregate", kam["load_validate_aggregate_seconds"], None, None])
    return rows


def _job_rows(kinds: dict[str, Any]) -> list[Row]:
    return [[k, s["n"], s.get("median"), s.get("p90"), s.get("max"), s.get("sum")] for k, s in kinds.items()]


def _render_line(kam: dict[str, Any]) -> str:
    r = kam["render"]
    line = f"  render wall: {r['measured_seconds']:.1f} s measured for {r['jobs']} jobs"
    if r["basis"] == "extrapolated":
        line += (
            f" — a SUBSET: {r['plans_rendered']} of {r['plans_total']} plans; all plans EXTRAPOLATED "
            f"from the median plan: {r['extrapolated_seconds']:.1f} s"
        )
    return line + f"; peak tree RSS while rendering {kam['render_tree_peak_mib']:,.0f} MiB"


def _e2e_line(what: str, e2e: dict[str, Any]) -> str:
    line = f"  {what}: {e2e['seconds']:,.1f} s ({e2e['basis'].upper()})"
    if e2e["basis"] == "extrapolated":
        line += f" — {e2e['how']}"
        if "measured_seconds" in e2e:
            line += f"; measured for the subset: {e2e['measured_seconds']:.1f} s"
    return line


def _target_rows(found: list[dict[str, Any]]) -> list[Row]:
    return [[t["target"], t["measured"], t["basis"], "met" if t["met"] else "NOT MET"] for t in found]


def summary_report(summary: dict[str, Any]) -> str:
    """One line per size: the headline figures and the ratio."""
    rows: list[Row] = []
    for size, s in summary["sizes"].items():
        rows.append(
            [
                size,
                s["sales_lines"],
                s["load_validate_aggregate_seconds"],
                s["data_pass_peak_mib"],
                s["plan_median_seconds"],
                f"{s['kamreport_seconds']:,.1f} {s['kamreport_basis'][:5]}",
                f"{s['baseline_seconds']:,.1f} {s['baseline_basis'][:5]}" if s.get("baseline_seconds") else "–",
                f"{s['ratio']:.2f}×" if s.get("ratio") else "–",
            ]
        )
    headers = ["size", "sales lines", "L+V+A s", "data peak MiB", "plan median s", "kamreport s", "baseline s", "ratio"]
    return "\nsummary (results/*.json)\n" + table(headers, rows)
