"""Items 1, 5 and 6: a venv created from scratch, synced from the lock, compared, checked and imported."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from parity.diagnose.findings import Finding
from parity.diagnose.verify.checklist import (
    FAIL,
    MAX_EVIDENCE,
    PASS,
    Item,
    count,
    item,
    not_run,
    some,
)
from parity.diagnose.verify.import_record import (
    import_record_key,
    read_import_record,
    replace_run,
    write_import_record,
)
from parity.diagnose.verify.imports import ImportRun, run_imports
from parity.diagnose.verify.lockfile import hashes_enforced
from parity.diagnose.verify.modules import import_names
from parity.diagnose.verify.place import rebuild_place
from parity.env.installed import installed_distributions, interpreter_path
from parity.env.sync import create_venv, install_lock, python_request, python_satisfies
from parity.errors import ParityError
from parity.lock.model import LockedGroup, Pin
from parity.spec.model import ProjectSpec
from parity.uv import run_uv


def rebuild_items(spec: ProjectSpec, locked: LockedGroup) -> dict[str, Item]:
    """Items 1, 5, 6: create a venv from scratch, sync the lock, compare, check, import.

    The venv lives in a folder outside the project (see ``place``) and is
    removed however this ends.
    """
    lockfile = spec.root / locked.output
    request = python_request(locked)
    with rebuild_place(locked, request) as where:
        tmp = where.folder
        scrub = _scrubber(tmp)
        try:
            venv = create_venv(tmp / "venv", request, replace=False)
        except ParityError as exc:
            return {
                "create": item("create", FAIL, (scrub(exc.message),), exc.hint),
                "rebuild": not_run("rebuild", "no environment"),
                "usable": not_run("usable", "no environment"),
            }
        try:
            install_lock(spec, venv, lockfile, locked, offline=False, environ=os.environ)
        except ParityError as exc:
            activation = run_imports(venv, [])
            # uv's message is indented by its structure (cause, expected, computed).
            lines = [
                scrub(line.rstrip().removeprefix("  "))
                for line in exc.message.splitlines()
                if line.strip()
            ]
            return {
                "create": create_item(activation, locked),
                "rebuild": item("rebuild", FAIL, lines[: MAX_EVIDENCE + 4], exc.hint),
                "usable": not_run("usable", "the rebuild failed"),
            }
        from parity.diagnose.check import compare_with_lock, expected_pins, project_name
        from parity.env.seed import SEED_PACKAGES

        installed = installed_distributions(venv.site_packages)
        expected = expected_pins(locked.pins, venv.python_version, venv.implementation)
        drift = compare_with_lock(
            expected,
            installed,
            ignore=set(SEED_PACKAGES),
            venv_name="the rebuilt venv",
            group=locked.name,
            project=project_name(spec),
            project_expected=spec.installable,
        )
        direct = [r.name for r in spec.requirements_of(locked.name)]
        modules = import_names(venv.site_packages, direct)
        key = None if drift else import_record_key(spec, venv, locked, expected, modules)
        known = read_import_record(key) if key is not None else None
        with ThreadPoolExecutor(max_workers=2) as pool:
            check: Future[subprocess.CompletedProcess[str]] = pool.submit(
                run_uv, ["pip", "check", "--python", str(interpreter_path(venv.root))]
            )
            if known is not None:
                # Byte-identical packages were imported by this interpreter before:
                # this venv's interpreter is still started (it must run and activate).
                activation = run_imports(venv, [])
                imports = replace_run(activation, known)
            else:
                imports = run_imports(venv, modules, pycache=where.pycache)
                if key is not None and not imports.failures and not imports.errors:
                    write_import_record(key, imports)
            consistency = check.result()
        return {
            "create": create_item(imports, locked),
            "rebuild": rebuild_item(spec, locked, expected, drift),
            "usable": usable_item(consistency, imports, modules, scrub),
        }


def _scrubber(tmp: Path) -> Callable[[str], str]:
    # The temporary path means nothing once it is gone; name it instead.
    paths = sorted({str(tmp / "venv"), str((tmp / "venv").resolve())}, key=len, reverse=True)

    def scrub(text: str) -> str:
        for path in paths:
            text = text.replace(path, "<new venv>")
        return text

    return scrub


def create_item(imports: ImportRun, locked: LockedGroup) -> Item:
    request = python_request(locked)
    wanted = f"the lock's Python ({request})" if request else "the default Python"
    if imports.version is None:
        return item(
            "create",
            FAIL,
            (f"uv created a venv on {wanted}, but its interpreter did not run", *imports.errors),
            "Check that the interpreter the lock names runs on this machine.",
        )
    if not imports.in_venv:
        return item(
            "create",
            FAIL,
            (f"the venv's interpreter ran Python {imports.version}, but outside the venv",),
            "Recreate the venv; check pyvenv.cfg.",
        )
    if not python_satisfies(imports.version, locked):
        return item(
            "create",
            FAIL,
            (f"the venv runs Python {imports.version}, the lock wants {request}",),
            f"Install Python {request} and verify again.",
        )
    return item(
        "create",
        PASS,
        (
            f"uv created a venv outside the project on {wanted}",
            f"its interpreter runs: {imports.implementation} {imports.version}, "
            "sys.prefix is the new venv",
        ),
    )


def rebuild_item(
    spec: ProjectSpec,
    locked: LockedGroup,
    expected: Sequence[Pin],
    drift: Sequence[Finding],
) -> Item:
    if drift:
        return item(
            "rebuild",
            FAIL,
            [f.message for f in drift][:MAX_EVIDENCE],
            "Run `parity lock`, then verify again.",
        )
    skipped = len(locked.pins) - len(expected)
    markers = f" ({count(skipped, 'pin')} excluded here by markers)" if skipped else ""
    evidence = [f"{len(expected)} distributions installed match the lock's versions{markers}"]
    with_hashes = sum(1 for p in expected if p.hashes)
    if hashes_enforced(locked):
        evidence.append(
            f"{with_hashes} archives hash-verified by uv against the lock (--require-hashes)"
        )
    else:
        unhashed = [p.name for p in expected if not p.hashes]
        evidence.append(
            f"{with_hashes} archives hash-verified by uv; no hash to check for {some(unhashed)}"
        )
    if spec.installable:
        evidence.append("the project itself was installed editable on top (it is not in the lock)")
    return item("rebuild", PASS, evidence)


def usable_item(
    consistency: subprocess.CompletedProcess[str],
    imports: ImportRun,
    modules: Mapping[str, Sequence[str]],
    scrub: Callable[[str], str],
) -> Item:
    check_lines = [
        scrub(line.strip())
        for line in (consistency.stdout + "\n" + consistency.stderr).splitlines()
        if line.strip() and not line.lstrip().startswith("Using Python")
    ]
    summary = next((line for line in check_lines if line.startswith("Checked")), "")
    check_lines = [line for line in check_lines if not line.startswith("Checked")]
    names = [m for ms in modules.values() for m in ms]
    empty = [d for d, ms in modules.items() if not ms]
    evidence: list[str] = []
    if consistency.returncode != 0:
        evidence += [f"uv pip check: {line}" for line in check_lines[:MAX_EVIDENCE]]
    evidence += [f"import {failure}" for failure in imports.failures[:MAX_EVIDENCE]]
    evidence += [scrub(e) for e in imports.errors]
    if evidence:
        return item(
            "usable",
            FAIL,
            evidence,
            "Add the missing requirement to the inputs and run `parity lock`.",
        )
    summary = re.sub(r" in [\d.]+m?s$", "", summary).lower()
    evidence = [f"uv pip check: no broken requirements{f' ({summary})' if summary else ''}"]
    shown = ", ".join(names[:10]) + (" ..." if len(names) > 10 else "")
    evidence.append(
        f"imported {len(names)} top-level modules of {len(modules) - len(empty)} direct "
        f"requirements: {shown}"
        if names
        else "no direct requirement provides a module to import"
    )
    if names and imports.reused_from:
        evidence.append(
            f"(imported for real on {imports.reused_from} from byte-identical packages, the same "
            "interpreter, machine and environment; PARITY_NO_CACHE=1 imports them again)"
        )
    if empty:
        evidence.append(f"nothing to import for {some(empty)} (no top-level module)")
    return item("usable", PASS, evidence)
