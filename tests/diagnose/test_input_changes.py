"""A stale lock says which part of an input changed: an option, a group, a ``[tool.uv]`` key."""

from __future__ import annotations

from pathlib import Path

from fixtures import make_project
from parity.diagnose.input_changes import describe_changes
from parity.lock.formats import requirements_txt
from parity.lock.freshness import lock_meta
from parity.lock.model import InputDigest, LockedGroup, LockMeta
from parity.lock.target import choose_target
from parity.spec.load import load_project


def _meta(root: Path) -> LockMeta:
    spec = load_project(root)
    return lock_meta(spec, choose_target(spec.python))


def _changes(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> str:
    root = make_project(tmp_path, {".python-version": "3.11\n", **before})
    stored = _meta(root)
    for name, text in after.items():
        (root / name).write_text(text)
    current = _meta(root)
    changed = [k for k, v in current.input_map().items() if stored.input_map().get(k) != v]
    changed += [k for k in stored.input_map() if k not in current.input_map()]
    return describe_changes(sorted(changed), stored, current).message


def test_an_added_binary_option_is_named(tmp_path: Path) -> None:
    message = _changes(
        tmp_path, {"requirements.in": "pkg\n"}, {"requirements.in": "pkg\n--only-binary :all:\n"}
    )
    assert message == (
        "requirements.in changed (resolver options: --only-binary) since the lock was written"
    )


def test_index_and_pre_options_are_named_as_written(tmp_path: Path) -> None:
    message = _changes(
        tmp_path,
        {"requirements.in": "pkg\n"},
        {"requirements.in": "--index-url https://example.org/simple\n--pre\npkg\n"},
    )
    assert "requirements.in changed (resolver options: --index-url, --pre)" in message


def test_an_edited_requirement_is_not_called_an_option(tmp_path: Path) -> None:
    message = _changes(
        tmp_path, {"requirements.in": "pkg>=1\n"}, {"requirements.in": "pkg>=2\n# note\n"}
    )
    assert message == "requirements.in changed (requirements edited) since the lock was written"


def test_a_tool_uv_key_is_named(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "p"\nversion = "0"\nrequires-python = ">=3.11"\n'
        "dependencies = []\n\n[tool.uv]\n"
    )
    message = _changes(
        tmp_path,
        {"pyproject.toml": pyproject + 'no-build-package = ["a"]\n'},
        {
            "pyproject.toml": pyproject
            + 'no-build-package = ["a", "b"]\nno-binary-package = ["c"]\n'
        },
    )
    assert message == (
        "pyproject.toml [tool.uv] changed (no-binary-package, no-build-package)"
        " since the lock was written"
    )


def test_a_new_python_target_says_from_what_to_what(tmp_path: Path) -> None:
    message = _changes(tmp_path, {"requirements.in": "pkg\n"}, {".python-version": "3.12\n"})
    assert "the Python target changed (3.11 -> 3.12)" in message


def test_parts_survive_the_lockfile_header(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"requirements.in": "--no-binary pkg\npkg\n"})
    meta = _meta(root)
    text = requirements_txt.write(
        LockedGroup(name="prod", output="requirements.txt", pins=(), meta=meta)
    )
    assert "# parity:parts requirements.in format_control.no_binary=" in text
    read = requirements_txt.parse(text, output="requirements.txt").meta
    assert [i.parts for i in read.inputs] == [i.parts for i in meta.inputs]
    assert read.digest == meta.digest


def test_an_input_without_recorded_parts_is_named_as_before() -> None:
    stored = LockMeta(
        digest="a", inputs=(InputDigest("requirements.in", "x"),), requires_python=None, python=None
    )
    current = LockMeta(
        digest="b",
        inputs=(InputDigest("requirements.in", "y", parts=(("requirements", "0" * 12),)),),
        requires_python=None,
        python=None,
    )
    changes = describe_changes(["requirements.in"], stored, current)
    assert changes.message == "requirements.in changed since the lock was written"
    assert changes.parts == {}


def _one_input(name: str, before: dict[str, str], after: dict[str, str]) -> str:
    def meta(parts: dict[str, str], digest: str) -> LockMeta:
        item = InputDigest(name, digest, parts=tuple(sorted(parts.items())))
        return LockMeta(digest=digest, inputs=(item,), requires_python=None, python=None)

    return describe_changes([name], meta(before, "a"), meta(after, "b")).message


def test_the_resolver_and_the_conda_solver_name_the_setting_that_changed() -> None:
    index = {"format": "1" * 12}
    assert _one_input("resolver", index, {**index, "platforms": "2" * 12}) == (
        "the resolver options changed (platforms) since the lock was written"
    )
    assert _one_input("solver", {"channels": "1" * 12}, {"channels": "3" * 12}) == (
        "the conda solver's settings changed (channels) since the lock was written"
    )


def test_an_edited_conda_dependency_is_named_as_conda_s(tmp_path: Path) -> None:
    environment = "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n"
    message = _changes(
        tmp_path,
        {"environment.yml": environment + "  - numpy<2\n"},
        {"environment.yml": environment + "  - numpy>=2\n"},
    )
    assert "environment.yml changed (conda dependencies edited)" in message


def _digests(**inputs: tuple[str, dict[str, str]]) -> LockMeta:
    items = tuple(
        InputDigest(name, digest, parts=tuple(sorted(parts.items())))
        for name, (digest, parts) in inputs.items()
    )
    return LockMeta(digest="x", inputs=items, requires_python=None, python=None)


def test_an_input_changed_only_through_another_is_not_named() -> None:
    from parity.lock.freshness import _said

    # pyproject.toml's digest holds what web.txt says; its parts do not.
    stored = _digests(pyproject=("a", {"groups.web": "1"}), web=("c", {"requirements": "1"}))
    current = _digests(pyproject=("b", {"groups.web": "1"}), web=("d", {"requirements": "2"}))
    assert _said(["pyproject", "web"], stored, current) == ["web"]


def test_a_changed_input_is_named_when_nothing_else_explains_it() -> None:
    from parity.lock.freshness import _said

    # Its digest changed where no part shows it: still stale, and still named.
    stored = _digests(pyproject=("a", {"groups.web": "1"}), web=("c", {"requirements": "1"}))
    current = _digests(pyproject=("b", {"groups.web": "1"}), web=("c", {"requirements": "1"}))
    assert _said(["pyproject"], stored, current) == ["pyproject"]
