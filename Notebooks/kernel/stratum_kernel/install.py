"""Install the `stratum` kernel spec for this Python (a virtual environment, normally).

    python -m stratum_kernel.install [--sys-prefix | --user]

Writes a .pth file so this Python imports stratum_kernel from the checkout (no copy to go stale),
and installs kernel.json with this Python's path into <prefix>/share/jupyter/kernels/stratum.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import sysconfig
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = "stratum"
PACKAGE_DIR = Path(__file__).resolve().parent


def install(user: bool = False) -> str:
    site_packages = Path(sysconfig.get_paths()["purelib"])
    (site_packages / "stratum_kernel.pth").write_text(f"{PACKAGE_DIR.parent}\n")

    spec = json.loads((PACKAGE_DIR / "kernel.json").read_text())
    spec["argv"][0] = os.path.abspath(sys.executable)  # not resolved: keep the venv's python
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n")
        return KernelSpecManager().install_kernel_spec(
            folder, KERNEL_NAME, user=user, prefix=None if user else sys.prefix
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sys-prefix", action="store_true", help="into sys.prefix (the default)")
    where.add_argument("--user", action="store_true", help="into the user's Jupyter data folder")
    args = parser.parse_args()
    print(f"installed the {KERNEL_NAME} kernel spec in {install(user=args.user)}")


if __name__ == "__main__":
    main()
