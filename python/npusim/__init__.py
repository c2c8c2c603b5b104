"""npusim from Python: runs, sweeps, accuracy tables and Bespoke LUTs as Python objects.

    import npusim
    r = npusim.run(model="vit_base", engines=["dsp", "lut"], overrides={"dram.bandwidth_gbps": 20})
    r["lut"]["summary"]["total_ms"]

Reports follow report.json (README, "Run"): per engine a dict with "summary" (a dict), "ops" and "layers"
(lists of dicts, or pandas DataFrames when pandas is installed). Errors raise NpusimError with npusim's
message ("file:line:column: ..." where a file is at fault). docs/python.md has the whole interface.
"""

import csv
import json
import os
import tempfile

from . import _npusim

NpusimError = _npusim.NpusimError

__all__ = ["NpusimError", "run", "sweep", "accuracy", "lut", "import_onnx"]

try:  # DataFrames when pandas is there; plain lists otherwise
    import pandas as _pandas
except ImportError:
    _pandas = None


def _table(rows, as_frame):
    if as_frame is None:
        as_frame = _pandas is not None
    if not as_frame:
        return rows
    if _pandas is None:
        raise NpusimError("as_frame=True needs pandas (Debian: python3-pandas)")
    return _pandas.json_normalize(rows) if rows else _pandas.DataFrame()


def _value_text(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ",".join(_value_text(v) for v in value)
    return str(value)


def _report(report_json, as_frame):
    report = json.loads(report_json)
    return {
        "summary": report["summary"],
        "ops": _table(report["ops"], as_frame),
        "layers": _table(report["layers"], as_frame),
        "functional": report.get("functional", []),
    }


def run(model=None, engines=None, config=None, overrides=None, *, trace=None, tokens=0, full=False, functional=False,
        seed=1, plugins=(), as_frame=None):
    """Simulates a zoo model (or a trace file) on each engine, as `npusim run` does.

    Returns {engine: {"summary", "ops", "layers", "functional", "warnings"}} in the order of `engines`
    ("config" when none is named: the config's own engine per op kind). `overrides` maps config paths to
    values ({"dram.bandwidth_gbps": 20}), applied in order like `--set`. Each engine simulates in a
    worker process of its own. An engine whose run fails raises NpusimError naming it.
    """
    if engines is None:
        engines = []
    elif isinstance(engines, str):
        engines = [engines]
    assignments = [f"{path}={_value_text(value)}" for path, value in (overrides or {}).items()]
    result = _npusim.run(model or "", os.fspath(trace) if trace else "", int(tokens), bool(full), list(engines),
                         os.fspath(config) if config else "", assignments, bool(functional), int(seed),
                         [os.fspath(p) for p in plugins])
    reports = {}
    for engine in result["engines"]:
        if not engine["ok"]:
            raise NpusimError(f"engine {engine['engine']}: {engine['error']}")
        report = _report(engine["report_json"], as_frame)
        report["warnings"] = engine["warnings"]
        reports[engine["engine"]] = report
    return reports


def _number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def sweep(spec, jobs=2, out=None, *, resume=False, keep_points=False, force=False, progress=False, as_frame=None):
    """Runs a sweep spec (a YAML path, or the spec as a dict) into `out` (a fresh temporary folder when
    None), as `npusim sweep` does. Returns {"out", "points", "ran", "failed", "summary"}: the summary is
    summary.csv as a list of dicts (numbers as numbers; empty cells None) or a DataFrame.

    Relative paths in a dict spec (base_config, traces) are taken from the current folder; the dict is
    not written anywhere (sweep.json names it "<dict>"; a resume compares its content).
    """
    if out is None:
        out = tempfile.mkdtemp(prefix="npusim_sweep_")
    out = os.fspath(out)
    if isinstance(spec, dict):
        spec = dict(spec)
        spec.setdefault("format", "npusim-sweep")
        spec.setdefault("version", 1)
        if spec.get("base_config"):
            spec["base_config"] = os.path.abspath(spec["base_config"])
        for workload in spec.get("workloads", []):
            if isinstance(workload, dict) and workload.get("trace"):
                workload["trace"] = os.path.abspath(workload["trace"])
        # JSON is YAML: the spec goes to the reader as text, named "<dict>" in messages.
        outcome = _npusim.sweep("", json.dumps(spec, indent=1), out, int(jobs), bool(resume), bool(keep_points), bool(force),
                                bool(progress))
    else:
        outcome = _npusim.sweep(os.fspath(spec), "", out, int(jobs), bool(resume), bool(keep_points), bool(force), bool(progress))
    summary_path = os.path.join(out, "summary.csv")
    if as_frame is None:
        as_frame = _pandas is not None
    if as_frame:
        summary = _table([], True) if not os.path.exists(summary_path) else _pandas.read_csv(summary_path)
    else:
        with open(summary_path, newline="") as f:
            summary = [{k: (None if v == "" else _number(v)) for k, v in row.items()} for row in csv.DictReader(f)]
    return {"out": out, "summary": summary, **outcome}


def _command(name, args):
    code, text = _npusim.command(name, [str(a) for a in args])
    if code != 0:
        raise NpusimError(f"npusim {name} ended with exit code {code}")
    return text


def accuracy(function=None, range=None, *, op=None, shape=None, dist=None, input=None, methods=None, seed=1):
    """Every method's error on a function over a range, or on a composite op over rows, as `npusim
    accuracy` measures it. Returns {"rows": [dict per method], "text": the console table} with, per numeric
    column, a NumPy array over the methods (e.g. result["max_abs_error"])."""
    import numpy

    args = []
    if function is not None:
        args += ["--function", function]
    if range is not None:
        args += ["--range", f"{range[0]!r},{range[1]!r}"]
    if op is not None:
        args += ["--op", op]
    if shape is not None:
        args += ["--shape", ",".join(str(d) for d in shape)]
    if dist is not None:
        args += ["--dist", dist]
    if input is not None:
        args += ["--input", os.fspath(input)]
    if methods is not None:
        args += ["--methods", ",".join(methods) if not isinstance(methods, str) else methods]
    args += ["--seed", seed]
    with tempfile.TemporaryDirectory(prefix="npusim_accuracy_") as scratch:
        path = os.path.join(scratch, "accuracy.json")
        text = _command("accuracy", args + ["--json", path])
        with open(path) as f:
            table = json.load(f)
    rows = table["methods"]
    result = {"rows": rows, "text": text, "subject": table.get("subject"), "notes": table.get("notes", [])}
    if isinstance(rows, list) and rows:
        for key, value in rows[0].items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                result[key] = numpy.array([row.get(key) if row.get(key) is not None else numpy.nan for row in rows], dtype=float)
        if "method" in rows[0]:
            result["methods"] = [row["method"] for row in rows]
    return result


def lut(function, range, bits=8, *, dual_range="auto", threshold=0.10):
    """One Bespoke LUT for `function` over `range` = (min, max), as `npusim lut` builds it. Returns a dict
    with NumPy arrays: base_table and dual_table (int16 entries), and x, y and error over all 65,536
    input codes (y - f(x) at each); the error summary and out_scale as numbers."""
    return _npusim.lut(function, float(range[0]), float(range[1]), int(bits), dual_range, float(threshold))


def import_onnx(model, out=None, *, input_shapes=None, name=None, strict=False):
    """Imports an ONNX model as `npusim import` does. Returns {"trace": the trace YAML text, "path": where it
    was written (out, or None), "report": what the importer printed}. `input_shapes` maps input names to
    shapes for dynamic dimensions."""
    args = [os.fspath(model)]
    for input_name, dims in (input_shapes or {}).items():
        args += ["--input-shape", f"{input_name}={','.join(str(d) for d in dims)}"]
    if name is not None:
        args += ["--name", name]
    if strict:
        args += ["--strict"]
    with tempfile.TemporaryDirectory(prefix="npusim_import_") as scratch:
        path = os.fspath(out) if out is not None else os.path.join(scratch, "trace.yaml")
        report = _command("import", args + ["-o", path])
        with open(path) as f:
            trace = f.read()
    return {"trace": trace, "path": os.fspath(out) if out is not None else None, "report": report}
