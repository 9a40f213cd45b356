from __future__ import annotations

from pathlib import Path

from parity import toml as tomllib
from parity.lock.formats.pylock import write
from parity.lock.model import LockedGroup, LockMeta, Pin

META = LockMeta(digest="sha256:d", inputs=(), requires_python="==3.11.*", python="3.11")
UV_PYLOCK = """lock-version = "1.0"
created-by = "uv"
requires-python = "==3.11.*"

[[packages]]
name = "alpha"
version = "1.0"
index = "https://user:pw@index.example/simple"
wheels = [{ url = "https://user:pw@index.example/files/alpha-1.0-py3-none-any.whl", size = 1, hashes = { sha256 = "aa" } }]

[[packages]]
name = "tool"
version = "2.0"
marker = "sys_platform == 'linux'"
wheels = [{ url = "https://index.example/files/tool-2.0-py3-none-any.whl", size = 1, hashes = { sha256 = "bb" } }]
"""


def groups() -> list[LockedGroup]:
    return [
        LockedGroup("prod", "requirements.txt", (Pin("alpha", "1.0"),), META),
        LockedGroup("dev", "requirements-dev.txt", (Pin("alpha", "1.0"), Pin("tool", "2.0")), META),
    ]


def test_group_only_packages_get_dependency_group_markers(tmp_path: Path) -> None:
    text, note = write(UV_PYLOCK, groups=groups(), root=tmp_path, meta=META)
    assert note is None and text is not None
    doc = tomllib.loads(text)
    assert doc["dependency-groups"] == ["prod", "dev"]
    assert doc["default-groups"] == ["prod"]
    packages = {p["name"]: p for p in doc["packages"]}
    assert "marker" not in packages["alpha"]
    assert (
        packages["tool"]["marker"] == "(sys_platform == 'linux') and ('dev' in dependency_groups)"
    )
    assert doc["tool"]["parity"]["digest"] == "sha256:d"


def test_credentials_are_stripped_from_every_url(tmp_path: Path) -> None:
    text, _ = write(UV_PYLOCK, groups=groups(), root=tmp_path, meta=META)
    assert text is not None and "user:pw" not in text


def test_local_file_outside_the_project_prevents_writing(tmp_path: Path) -> None:
    local = UV_PYLOCK.replace(
        "https://index.example/files/tool-2.0-py3-none-any.whl",
        "file:///srv/wheels/tool-2.0-py3-none-any.whl",
    )
    text, note = write(local, groups=groups(), root=tmp_path, meta=META)
    assert text is None
    assert note is not None and "tool" in note


def test_the_note_on_a_local_file_outside_the_project_agrees_in_number(tmp_path: Path) -> None:
    def outside(*names: str) -> str:
        text = UV_PYLOCK
        for name, version in (("alpha", "1.0"), ("tool", "2.0")):
            if name in names:
                text = text.replace(
                    f"https://index.example/files/{name}-{version}-py3-none-any.whl",
                    f"file:///srv/wheels/{name}-{version}-py3-none-any.whl",
                ).replace(f"https://user:pw@index.example/files/{name}-", f"file:///srv/{name}-")
        return text

    _, one = write(outside("tool"), groups=groups(), root=tmp_path, meta=META)
    assert one is not None and "tool comes from a local directory" in one
    _, two = write(outside("alpha", "tool"), groups=groups(), root=tmp_path, meta=META)
    assert two is not None and "alpha, tool come from a local directory" in two


def test_local_file_inside_the_project_becomes_a_relative_path(tmp_path: Path) -> None:
    wheel = tmp_path / "wheels" / "tool-2.0-py3-none-any.whl"
    local = UV_PYLOCK.replace(
        "https://index.example/files/tool-2.0-py3-none-any.whl", wheel.as_uri()
    )
    text, _ = write(local, groups=groups(), root=tmp_path, meta=META)
    assert text is not None
    tool = next(p for p in tomllib.loads(text)["packages"] if p["name"] == "tool")
    assert tool["wheels"][0]["path"] == "wheels/tool-2.0-py3-none-any.whl"
    assert str(tmp_path) not in text


def _variants(tmp_path: Path) -> list[str]:
    inside = (tmp_path / "wheels" / "tool-2.0-py3-none-any.whl").as_uri()
    source = tmp_path / "libs" / "own"
    return [
        UV_PYLOCK,
        UV_PYLOCK.replace("https://index.example/files/tool-2.0-py3-none-any.whl", inside),
        UV_PYLOCK.replace(
            "https://index.example/files/tool-2.0-py3-none-any.whl",
            "file:///srv/wheels/tool-2.0-py3-none-any.whl",
        ),
        UV_PYLOCK
        + f'\n[[packages]]\nname = "own"\ndirectory = {{ path = "{source}", editable = true }}\n',
        UV_PYLOCK + '\n[[packages]]\nname = "far"\ndirectory = { path = "/srv/far" }\n',
    ]


def test_reading_uv_output_line_by_line_decides_as_reading_it_as_toml(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from parity.lock.formats import pylock

    for text in _variants(tmp_path):
        assert pylock._scan_packages(text) is not None
        by_lines = write(text, groups=groups(), root=tmp_path, meta=META)
        with monkeypatch.context() as patched:
            patched.setattr(pylock, "_scan_packages", lambda text: None)
            by_toml = write(text, groups=groups(), root=tmp_path, meta=META)
        assert by_lines == by_toml


def test_a_layout_uv_does_not_write_is_read_as_toml(tmp_path: Path) -> None:
    from parity.lock.formats import pylock

    literal = UV_PYLOCK.replace('name = "tool"', "name = 'tool'")
    table = UV_PYLOCK + '\n[packages.vcs]\ntype = "git"\n'
    assert pylock._scan_packages(literal) is None
    assert pylock._scan_packages(table) is None
    text, _ = write(literal, groups=groups(), root=tmp_path, meta=META)
    assert text is not None and "'dev' in dependency_groups" in text


def _line_variants(tmp_path: Path) -> list[str]:
    """uv outputs whose lines take every path of the writer: kept, cleaned, made relative."""
    token = "ghp_" + "a" * 36
    wheel = '{ url = "https://index.example/files/tool-2.0-py3-none-any.whl", size = 1 }'
    local = (tmp_path / "wheels" / "tool-2.0-py3-none-any.whl").as_uri()
    return [
        UV_PYLOCK,
        UV_PYLOCK.replace("https://user:pw@", "https://"),
        UV_PYLOCK.replace("tool-2.0-py3", f"tool-2.0-{token}-py3"),
        UV_PYLOCK.replace(".whl", ".whl?token=abc&v=1"),
        UV_PYLOCK.replace(".whl", ".whl#sha256=aa"),
        UV_PYLOCK.replace("index.example/files", "index.example/fil\\u00e9s"),
        UV_PYLOCK.replace("index.example/files", "index.example/filés"),
        UV_PYLOCK.replace('name = "tool"', 'name = "to\\u006fl"'),
        UV_PYLOCK.replace(wheel[2:-2], f'url = "{local}", size = 1'),
        UV_PYLOCK.replace("wheels = [{", "wheels = [\n    {").replace("} }]", "} },\n]"),
    ]


def test_lines_kept_as_written_are_what_cleaning_them_gives(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The writer's shortcuts (plain strings, lines that cannot change) change no byte."""
    import re

    from parity.lock.formats import pylock

    (tmp_path / "wheels").mkdir()
    never = re.compile(r"(?!)")
    for text in _line_variants(tmp_path):
        fast = write(text, groups=groups(), root=tmp_path, meta=META)
        scanned = pylock._scan_packages(text)
        with monkeypatch.context() as patched:
            patched.setattr(pylock, "_as_written", lambda: never)
            patched.setattr(pylock, "_plain_json_chars", lambda: never)
            patched.setattr(pylock, "_plain_json_string", lambda: never)
            slow = write(text, groups=groups(), root=tmp_path, meta=META)
            assert pylock._scan_packages(text) == scanned, text
        assert fast == slow, text


def test_an_escaped_quote_does_not_end_a_location() -> None:
    from parity.lock.formats import pylock

    line = r'wheels = [{ url = "https://h/a\"b.whl", path = "c\\", size = 1 }]'
    found = [m.group(2) for m in pylock._location().finditer(line)]
    assert found == [r"https://h/a\"b.whl", "c\\\\"]
