#!/usr/bin/env bash
# Registers the pinned .NET kernels with Jupyter (.config/dotnet-tools.json: Microsoft.dotnet-interactive) so that their HTTP
# API listens on loopback only: `dotnet interactive jupyter install` writes kernel specs whose kernels listen on every network
# interface (http://<this machine's address>:2048 while a notebook runs); each spec's argv gets --http-local-only here.
# Run from anywhere; needs the .NET SDK, jupyter-client (jupyter-kernelspec) and /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
mkdir -p "${HOME}/.local/share/jupyter/kernels"
dotnet dotnet-interactive jupyter install "$@"
/usr/bin/python3 - <<'PY'
import json, os, subprocess
specs = json.loads(subprocess.run(["jupyter-kernelspec", "list", "--json"], check=True, capture_output=True, text=True).stdout)["kernelspecs"]
for name, spec in specs.items():
    if not name.startswith(".net-"):
        continue
    path = os.path.join(spec["resource_dir"], "kernel.json")
    with open(path) as f:
        kernel = json.load(f)
    if "--http-local-only" not in kernel["argv"]:
        kernel["argv"].append("--http-local-only")
        with open(path, "w") as f:
            json.dump(kernel, f, indent=2)
    print(f"{name}: {path} (HTTP on loopback only)")
PY
