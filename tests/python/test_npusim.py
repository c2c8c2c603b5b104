"""The Python module against the command line it wraps: the same totals, sweeps, tables and errors.

Run by ctest (python.pytest) with PYTHONPATH=build/python and NPUSIM_BINARY set."""

import json
import math
import os
import subprocess

import numpy
import pytest

import npusim

NPUSIM = os.environ.get("NPUSIM_BINARY", "npusim")


def cli_json(tmp_path, *args):
    path = tmp_path / "cli.json"
    subprocess.run([NPUSIM, *args, "--json", str(path)], check=True, capture_output=True)
    return json.loads(path.read_text())


def test_run_equals_the_command_line(tmp_path):
    r = npusim.run(model="deit_tiny", engines=["dsp", "lut"], as_frame=False)
    assert list(r) == ["dsp", "lut"]
    for engine in ("dsp", "lut"):
        alone = cli_json(tmp_path, "run", "--model", "deit_tiny", "--engines", engine)
        assert r[engine]["summary"]["total_ms"] == alone["summary"]["total_ms"]
        assert r[engine]["summary"]["total_ns"] == alone["summary"]["total_ns"]
        assert len(r[engine]["ops"]) == len(alone["ops"])
        assert r[engine]["ops"][0]["id"] == alone["ops"][0]["id"]
        assert r[engine]["layers"] == alone["layers"]
    # The LUT engine is faster than the DSP on the paper's NPU (the paper's claim, SPEC.md).
    assert r["lut"]["summary"]["total_ms"] < r["dsp"]["summary"]["total_ms"]


def test_overrides_and_config_as_set_does(tmp_path):
    r = npusim.run(model="deit_tiny", engines="lut", overrides={"dram.bandwidth_gbps": 3, "lut_unit.lanes": 4}, as_frame=False)
    alone = cli_json(tmp_path, "run", "--model", "deit_tiny", "--engines", "lut", "--set", "dram.bandwidth_gbps=3",
                     "--set", "lut_unit.lanes=4")
    assert r["lut"]["summary"]["total_ns"] == alone["summary"]["total_ns"]
    assert r["lut"]["summary"]["config"] == "paper_npu dram.bandwidth_gbps=3 lut_unit.lanes=4"
    slower = npusim.run(model="deit_tiny", engines="lut", overrides={"dram.bandwidth_gbps": 1}, as_frame=False)
    assert slower["lut"]["summary"]["total_ns"] > r["lut"]["summary"]["total_ns"]


def test_many_runs_in_one_process():
    # Each run simulates in a worker: the Python process can ask again and again.
    totals = [npusim.run(model="deit_tiny", engines=["lut"], as_frame=False)["lut"]["summary"]["total_ns"] for _ in range(3)]
    assert totals[0] == totals[1] == totals[2]


def test_errors_carry_file_line_and_column(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("name: bad\ndram:\n  bandwidth_gbps: fast\n")
    with pytest.raises(npusim.NpusimError) as caught:
        npusim.run(model="deit_tiny", engines=["lut"], config=config)
    assert f"{config}:3:" in str(caught.value)
    with pytest.raises(npusim.NpusimError, match="dram.bandwidth_gbbs"):
        npusim.run(model="deit_tiny", engines=["lut"], overrides={"dram.bandwidth_gbbs": 3})
    with pytest.raises(npusim.NpusimError, match="engine"):
        npusim.run(model="deit_tiny", engines=["lutt"])
    assert issubclass(npusim.NpusimError, RuntimeError)


def test_sweep_from_a_dict_equals_the_command_lines(tmp_path):
    spec = {"workloads": [{"model": "deit_tiny"}], "engines": ["dsp", "lut"],
            "axes": [{"path": "dram.bandwidth_gbps", "values": [3, 20]}]}
    s = npusim.sweep(spec, jobs=2, out=tmp_path / "py", as_frame=False)
    assert (s["points"], s["ran"], s["failed"]) == (4, 4, 0)
    assert [row["status"] for row in s["summary"]] == ["ok"] * 4
    (tmp_path / "spec.yaml").write_text(json.dumps({"format": "npusim-sweep", "version": 1, **spec}))
    subprocess.run([NPUSIM, "sweep", str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "cli"), "--jobs", "2"],
                   check=True, capture_output=True)
    assert (tmp_path / "py" / "summary.csv").read_text() == (tmp_path / "cli" / "summary.csv").read_text()
    at_3 = {row["engine"]: row["total_ms"] for row in s["summary"] if row["dram.bandwidth_gbps"] == 3}
    assert at_3["lut"] < at_3["dsp"]
    again = npusim.sweep(spec, jobs=2, out=tmp_path / "py", resume=True, as_frame=False)
    assert again["ran"] == 0
    with pytest.raises(npusim.NpusimError, match="already holds sweep results"):
        npusim.sweep(spec, out=tmp_path / "py")


def test_lut_tables_and_errors_are_numpy_arrays(tmp_path):
    t = npusim.lut("gelu", (-8, 8), bits=6)
    assert t["base_table"].dtype == numpy.int16 and t["base_table"].shape == (2 ** 6 + 1,)
    assert t["x"].shape == t["y"].shape == t["error"].shape == (65536,)
    # The error is the table's output minus GELU itself, computed here independently.
    gelu = 0.5 * t["x"] * (1 + numpy.vectorize(math.erf)(t["x"] / math.sqrt(2)))
    assert numpy.allclose(t["error"], t["y"] - gelu, atol=1e-9)
    assert abs(t["max_abs_error"] - numpy.max(numpy.abs(t["error"]))) < 1e-9
    # The same tables as `npusim lut --export` writes.
    subprocess.run([NPUSIM, "lut", "--function", "gelu", "--range", "-8,8", "--bits", "6", "--export", str(tmp_path / "t")],
                   check=True, capture_output=True)
    words = [int(w, 16) for w in (tmp_path / "t" / "gelu_base.hex").read_text().split() if not w.startswith("//")]
    assert [w - 65536 if w >= 32768 else w for w in words] == t["base_table"].tolist()
    with pytest.raises(npusim.NpusimError, match="range"):
        npusim.lut("rsqrt", (-1, 1))


def test_accuracy_rows_and_arrays():
    a = npusim.accuracy("gelu", (-8, 8), methods=["bespoke", "fp32"])
    assert len(a["rows"]) == 2
    assert [row["method"] for row in a["rows"]] == a["methods"]
    assert a["max_abs_error"].shape == (2,) and a["max_abs_error"].dtype == numpy.float64
    # The same figures as the command line's --json.
    assert a["rows"][0]["max_abs_error"] == a["max_abs_error"][0]
    bespoke = a["methods"].index("bespoke")
    assert a["max_abs_error"][bespoke] > 0 and a["max_abs_error"][a["methods"].index("fp32")] < a["max_abs_error"][bespoke]
    with pytest.raises(npusim.NpusimError):
        npusim.accuracy("gelu")


def test_import_onnx_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(npusim.NpusimError, match="bad.onnx"):
        npusim.import_onnx(bad)
    model = os.path.join(os.environ.get("NPUSIM_SOURCE_DIR", "."), "tests", "data")
    onnx_files = sorted(os.path.join(d, f) for d, _, fs in os.walk(model) for f in fs if f.endswith(".onnx"))
    if not onnx_files:
        pytest.skip("no ONNX model under tests/data")
    for path in onnx_files:
        try:
            imported = npusim.import_onnx(path)
        except npusim.NpusimError:
            continue  # a hostile model kept as a regression input
        assert "ops:" in imported["trace"]
        return
