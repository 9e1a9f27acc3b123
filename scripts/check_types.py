"""``mypy --strict`` over both packages, with a baseline for the web package that only shrinks.

Run from anywhere: ``python scripts/check_types.py [--update] [--accept-new]`` (``make typecheck``).

* ``patentbridge_engine`` must stay at zero errors: any engine error fails, and it never enters the baseline.
* ``patentbridge`` (the Django project, checked with the django-stubs plugin) is compared with
  ``mypy-baseline.txt``: one line per known error, ``path: error-code: message``. Line numbers are
  dropped (and ``line 42`` inside a message becomes ``line N``), so edits elsewhere in a file do not
  churn the baseline; an error that occurs twice in a file appears twice.
* The check fails, listing them, when mypy reports an error the baseline does not hold. Errors in the
  baseline that are gone are reported with a request to shrink the baseline (``--update``).
* ``--update`` rewrites the baseline with the current errors, but only when that removes entries and
  adds none; ``--accept-new`` lets it add entries (for a deliberate change such as a django-stubs
  upgrade — the additions show up in the diff for review).

The settings module creates the data directory and a secret key file when the plugin imports it, so
mypy runs with ``PATENTBRIDGE_DATA_DIR`` pointing at a throwaway directory. The cache is the repository's
``.mypy_cache``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
PACKAGES = ("patentbridge", "patentbridge_engine")
ENGINE_PREFIX = "src/patentbridge_engine/"

# path:line[:column]: error: message  [code]   (line is absent for some import errors)
_ERROR = re.compile(
    r"^(?P<path>[^:\s][^:]*?):(?:\d+:)?(?:\d+:)? error: (?P<message>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)
_LINE_REF = re.compile(r"\bline \d+\b")

_HEADER = (
    "# mypy --strict errors in the web package that are tolerated for now (scripts/check_types.py).\n"
    "# This file only shrinks: fix an error, then run `python scripts/check_types.py --update`.\n"
)


def normalise(lines: Iterable[str], prefix: str = "src/") -> list[str]:
    """mypy output lines -> sorted ``path: error-code: message`` entries (notes and summaries dropped)."""
    entries = []
    for line in lines:
        match = _ERROR.match(line.rstrip("\n"))
        if match is None:
            continue
        path = prefix + match["path"].replace(os.sep, "/")
        message = _LINE_REF.sub("line N", match["message"].strip())
        entries.append(f"{path}: {match['code'] or 'error'}: {message}")
    return sorted(entries)


def read_baseline(path: Path | None = None) -> list[str]:
    path = path or BASELINE
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted(line for line in lines if line.strip() and not line.startswith("#"))


def write_baseline(entries: Iterable[str], path: Path | None = None) -> None:
    body = "".join(f"{entry}\n" for entry in sorted(entries))
    (path or BASELINE).write_text(_HEADER + body, encoding="utf-8")


@dataclass(frozen=True)
class Comparison:
    new: list[str]  # in the current run, not in the baseline (or more often than the baseline allows)
    fixed: list[str]  # in the baseline, gone from the current run
    engine: list[str]  # engine errors: never tolerated

    @property
    def ok(self) -> bool:
        return not self.new and not self.engine


def compare(current: Iterable[str], baseline: Iterable[str]) -> Comparison:
    """Multiset comparison: each baseline line tolerates one occurrence of that error."""
    current_list = list(current)
    engine = sorted(entry for entry in current_list if entry.startswith(ENGINE_PREFIX))
    web = Counter(entry for entry in current_list if not entry.startswith(ENGINE_PREFIX))
    known = Counter(baseline)
    return Comparison(
        new=sorted((web - known).elements()),
        fixed=sorted((known - web).elements()),
        engine=engine,
    )


def run_mypy() -> tuple[int, list[str]]:
    """Run mypy on both packages; return (exit status, raw output lines)."""
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml")]
    command += ["--cache-dir", str(ROOT / ".mypy_cache"), "--no-pretty", "--no-error-summary"]
    command += ["--show-error-codes", "--no-color-output", "--hide-error-context"]
    for package in PACKAGES:
        command += ["-p", package]
    with tempfile.TemporaryDirectory(prefix="pb-mypy-") as data_dir:
        env = dict(os.environ, PATENTBRIDGE_DATA_DIR=data_dir, PATENTBRIDGE_DATABASE_URL="")
        env["DJANGO_SETTINGS_MODULE"] = "patentbridge.settings"
        done = subprocess.run(command, cwd=ROOT / "src", env=env, capture_output=True, text=True, check=False)
    return done.returncode, (done.stdout + done.stderr).splitlines()


def report(comparison: Comparison, current_count: int) -> None:
    if comparison.engine:
        print(f"patentbridge_engine must pass mypy --strict; {len(comparison.engine)} error(s):")
        for entry in comparison.engine:
            print(f"  {entry}")
    if comparison.new:
        print(f"{len(comparison.new)} new mypy error(s) not in {BASELINE.name} — fix them:")
        for entry in comparison.new:
            print(f"  {entry}")
    if comparison.fixed:
        print(f"{len(comparison.fixed)} baseline error(s) fixed — shrink the baseline with")
        print("  python scripts/check_types.py --update")
        for entry in comparison.fixed:
            print(f"  - {entry}")
    if comparison.ok:
        print(f"mypy --strict: engine clean; web package {current_count} known error(s), no new ones.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--update", action="store_true", help="rewrite the baseline (removals only)")
    parser.add_argument("--accept-new", action="store_true", help="with --update: also add new errors")
    args = parser.parse_args(argv)

    status, output = run_mypy()
    current = normalise(output)
    if status not in (0, 1) or (status == 1 and not current):
        print("mypy did not run to completion:")
        print("\n".join(output))
        return 2
    baseline = read_baseline()
    comparison = compare(current, baseline)
    web_current = [entry for entry in current if not entry.startswith(ENGINE_PREFIX)]

    if args.update:
        if comparison.engine:
            report(comparison, len(web_current))
            print("not updating: engine errors are never baselined")
            return 1
        if comparison.new and not args.accept_new and BASELINE.exists():
            report(comparison, len(web_current))
            print("not updating: the baseline only shrinks (use --accept-new for a deliberate addition)")
            return 1
        write_baseline(web_current)
        print(f"{BASELINE.name}: {len(baseline)} -> {len(web_current)} entries")
        return 0

    report(comparison, len(web_current))
    return 0 if comparison.ok else 1


if __name__ == "__main__":
    sys.exit(main())
