"""The paper's comparison from Python, then a DRAM bandwidth sweep plotted with matplotlib.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/paper_comparison.py [OUT.png]

First what `npusim` with no arguments prints in figures: one ViT-Base block on the paper NPU (3 GB/s),
non-linear ops on the DSP and on the Bespoke LUT unit. Then ViT-Base and DeiT-Tiny over 1..25 GB/s on
both engines, as latency and as the LUT unit's speedup over the DSP (docs/python.md).
"""

import sys

import matplotlib

matplotlib.use("Agg")  # files, no display
import matplotlib.pyplot as plt

import npusim

out_png = sys.argv[1] if len(sys.argv) > 1 else "paper_comparison.png"

# The default comparison.
r = npusim.run(model="vit_base", engines=["dsp", "lut"], as_frame=False)
dsp, lut = r["dsp"]["summary"], r["lut"]["summary"]
print(f"{'':28s}{'dsp':>10s}{'lut':>10s}")
print(f"{'total latency (ms)':28s}{dsp['total_ms']:10.3f}{lut['total_ms']:10.3f}")
print(f"{'non-linear busy (ms)':28s}{dsp['nonlinear_ns'] * 1e-6:10.3f}{lut['nonlinear_ns'] * 1e-6:10.3f}")
print(f"{'MAU-DSP communication (ms)':28s}{dsp['critical_path']['mau_dsp_communication_ns'] * 1e-6:10.3f}"
      f"{lut['critical_path']['mau_dsp_communication_ns'] * 1e-6:10.3f}")
print(f"speedup of the LUT unit: {dsp['total_ms'] / lut['total_ms']:.3f}x")

# The bandwidth sweep, in one call; the summary as rows (a DataFrame with pandas).
bandwidths = [1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 25]
spec = {"workloads": [{"model": "vit_base"}, {"model": "deit_tiny"}], "engines": ["dsp", "lut"],
        "axes": [{"path": "dram.bandwidth_gbps", "values": bandwidths}]}
s = npusim.sweep(spec, jobs=2, as_frame=False)
if s["failed"]:
    sys.exit(f"{s['failed']} points failed: see {s['out']}/summary.csv")
total = {}
for row in s["summary"]:
    total[(row["workload"], row["engine"], float(row["dram.bandwidth_gbps"]))] = row["total_ms"]

fig, (latency, speedup) = plt.subplots(1, 2, figsize=(11, 4.2))
for workload, colour in (("vit_base", "tab:blue"), ("deit_tiny", "tab:orange")):
    for engine, style in (("dsp", "--"), ("lut", "-")):
        latency.plot(bandwidths, [total[(workload, engine, float(b))] for b in bandwidths], style, color=colour, marker="o",
                     markersize=3, label=f"{workload}, {engine}")
    speedup.plot(bandwidths, [total[(workload, "dsp", float(b))] / total[(workload, "lut", float(b))] for b in bandwidths],
                 color=colour, marker="o", markersize=3, label=workload)
latency.set(xlabel="DRAM bandwidth (GB/s)", ylabel="latency of one block (ms)", title="Latency", yscale="log")
speedup.axhline(1.0, color="grey", linewidth=0.8)
speedup.set(xlabel="DRAM bandwidth (GB/s)", ylabel="DSP latency / LUT latency", title="Speedup of the LUT unit over the DSP")
for axes in (latency, speedup):
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
fig.tight_layout()
fig.savefig(out_png, dpi=120)
print(f"bandwidth sweep: {len(s['summary'])} points in {s['out']}, plot in {out_png}")
