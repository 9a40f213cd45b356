"""Properties, checked on generated inputs (hypothesis) rather than examples.

- requirements and versions survive parity's canonical spelling;
- every lock format parity writes reads back to what was written
  (requirements.txt, pylock.toml, the seal, the sync stamp, snapshot JSON,
  the generation journal) and the TOML parity writes by hand parses to its
  values;
- redaction removes every planted secret and is idempotent.
"""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from parity import toml, tomlwrite
from parity.lock.formats import pylock, requirements_txt
from parity.lock.integrity import content_digest, read_seal, seal
from parity.lock.model import InputDigest, LockedGroup, LockMeta, Origin, Pin
from parity.redact import redact_credentials, redact_text, redact_url
from parity.spec.digest import canonical_requirement
from parity.spec.model import IndexConfig

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- generators

letters = string.ascii_letters + string.digits
names = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?", fullmatch=True)
versions = st.builds(
    lambda epoch, release, pre, post, dev, local: str(
        Version(
            (f"{epoch}!" if epoch else "")
            + ".".join(map(str, release))
            + (f"{pre[0]}{pre[1]}" if pre else "")
            + (f".post{post}" if post is not None else "")
            + (f".dev{dev}" if dev is not None else "")
            + (f"+{local}" if local else "")
        )
    ),
    st.integers(0, 2),
    st.lists(st.integers(0, 30), min_size=1, max_size=4),
    st.none() | st.tuples(st.sampled_from(["a", "b", "rc"]), st.integers(0, 9)),
    st.none() | st.integers(0, 5),
    st.none() | st.integers(0, 5),
    st.none() | st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True),
)
public_versions = versions.filter(lambda v: "+" not in v)
operators = st.sampled_from(["==", "!=", ">=", "<=", ">", "<", "~="])
markers = st.sampled_from(
    [
        None,
        "python_version < '3.12'",
        "sys_platform == 'win32'",
        "platform_machine == 'x86_64' and python_version >= '3.9'",
        "extra == 'fast'",
        "(os_name == 'nt' or sys_platform == 'darwin') and implementation_name == 'cpython'",
    ]
)
hashes = st.lists(
    st.from_regex(r"[0-9a-f]{64}", fullmatch=True).map(lambda h: f"sha256:{h}"),
    max_size=3,
    unique=True,
)


@st.composite
def requirements(draw: st.DrawFn) -> str:
    name = draw(names)
    extras = draw(st.lists(names, max_size=2, unique=True))
    specs = draw(st.lists(st.tuples(operators, public_versions), max_size=3))
    marker = draw(markers)
    text = name
    if extras:
        text += "[" + ",".join(extras) + "]"
    text += ",".join(
        f"{op}{v}" if op != "~=" or len(Version(v).release) >= 2 else f">={v}" for op, v in specs
    )
    if marker:
        text += f" ; {marker}"
    return text


@st.composite
def pins(draw: st.DrawFn) -> Pin:
    name = draw(names).lower().replace("_", "-").replace(".", "-")
    while "--" in name:
        name = name.replace("--", "-")
    kind = draw(st.sampled_from(["index", "index", "index", "url", "local"]))
    origins = tuple(
        Origin(path=p)
        for p in draw(st.lists(st.sampled_from(["requirements.in", "dev.in"]), unique=True))
    )
    required_by = tuple(draw(st.lists(names.map(str.lower), max_size=2, unique=True)))
    if kind == "index":
        return Pin(
            name,
            draw(public_versions),
            marker=draw(markers),
            hashes=tuple(sorted(draw(hashes))),
            origins=origins,
            required_by=required_by,
        )
    if kind == "url":
        return Pin(
            name,
            None,
            marker=draw(markers),
            origins=origins,
            source=f"https://files.example/{name}-1.0.tar.gz",
        )
    return Pin(name, None, origins=origins, source=f"./libs/{name}", editable=draw(st.booleans()))


META = LockMeta(
    digest="sha256:" + "d" * 64,
    inputs=(InputDigest("requirements.in", "sha256:" + "1" * 64),),
    requires_python=">=3.10",
    python="3.11",
)


def unique_by_name(items: list[Pin]) -> tuple[Pin, ...]:
    seen: dict[str, Pin] = {}
    for pin in items:
        seen.setdefault(pin.name, pin)
    return tuple(seen.values())


# -- requirements and versions


@SETTINGS
@given(requirements())
def test_canonical_requirement_keeps_the_meaning_and_is_stable(text: str) -> None:
    once = canonical_requirement(text)
    assert canonical_requirement(once) == once
    before, after = Requirement(text), Requirement(once)
    assert canonicalize_name(before.name) == after.name
    assert SpecifierSet(str(before.specifier)) == after.specifier
    assert str(before.marker) == str(after.marker)
    assert {canonicalize_name(e) for e in before.extras} == after.extras


@SETTINGS
@given(versions)
def test_a_pinned_version_survives_the_lockfile(version: str) -> None:
    group = LockedGroup("prod", "requirements.txt", (Pin("pkg", version),), META)
    again = requirements_txt.parse(requirements_txt.write(group), output="requirements.txt")
    assert again.pins[0].version == version
    assert Version(again.pins[0].version) == Version(version)


# -- lock formats: write, then read


@SETTINGS
@given(st.lists(pins(), max_size=12))
def test_requirements_txt_reads_back_what_was_written(items: list[Pin]) -> None:
    group = LockedGroup(
        "dev",
        "requirements-dev.txt",
        unique_by_name(items),
        META,
        index=IndexConfig(index_url="https://index.example/simple"),
    )
    text = requirements_txt.write(group)
    again = requirements_txt.parse(text, output="requirements-dev.txt")
    fields = ("name", "version", "marker", "hashes", "source", "editable", "via")
    assert [tuple(getattr(p, f) for f in fields) for p in again.pins] == [
        tuple(getattr(p, f) for f in fields) for p in group.pins
    ]
    assert again.meta.digest == META.digest and again.meta.inputs == META.inputs
    assert again.index == group.index


@SETTINGS
@given(st.lists(pins(), max_size=8))
def test_a_sealed_lock_is_intact_and_line_endings_do_not_break_it(items: list[Pin]) -> None:
    group = LockedGroup("prod", "requirements.txt", unique_by_name(items), META)
    files = seal({"requirements.txt": requirements_txt.write(group)})
    text = files["requirements.txt"]
    assert read_seal("requirements.txt", text).intact
    assert read_seal("requirements.txt", text.replace("\n", "\r\n")).intact
    index_pins = [p for p in group.pins if p.version]
    if index_pins:
        first = index_pins[0]
        edited = text.replace(f"{first.name}=={first.version}", f"{first.name}==0+edited", 1)
        assert not read_seal("requirements.txt", edited).intact


@st.composite
def uv_pylocks(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str | None]]]:
    packages = []
    for pin in draw(st.lists(pins(), max_size=8)):
        if pin.version is None or any(p[0] == pin.name for p in packages):
            continue
        packages.append((pin.name, pin.version, pin.marker))
    lines = ['lock-version = "1.0"', 'created-by = "uv"', 'requires-python = ">=3.10"']
    for name, version, marker in packages:
        lines += ["", "[[packages]]", f"name = {tomlwrite.string(name)}"]
        lines.append(f"version = {tomlwrite.string(version)}")
        if marker:
            lines.append(f"marker = {tomlwrite.string(marker)}")
        lines.append('index = "https://index.example/simple"')
        url = f"https://index.example/files/{name}-{version}-py3-none-any.whl"
        lines.append(
            f'wheels = [{{ url = {tomlwrite.string(url)}, size = 1, hashes = {{ sha256 = "aa" }} }}]'
        )
    return "\n".join(lines) + "\n", packages


@SETTINGS
@given(uv_pylocks())
def test_pylock_reads_back_every_package_with_its_marker(
    case: tuple[str, list[tuple[str, str, str | None]]],
) -> None:
    text, packages = case
    group = LockedGroup(
        "prod", "requirements.txt", tuple(Pin(n, v, marker=m) for n, v, m in packages), META
    )
    written, note = pylock.write(text, groups=(group,), root=Path("/project"), meta=META)
    assert written is not None and note is None
    again = pylock.parse(written)
    assert [(p.name, p.version) for p in again.pins] == [(n, v) for n, v, _ in packages]
    assert again.created_by == "parity"
    sealed = seal({"pylock.toml": written})["pylock.toml"]
    assert read_seal("pylock.toml", sealed).intact
    assert content_digest("pylock.toml", sealed) == content_digest("pylock.toml", written)


# -- TOML written by hand, the stamp, snapshots


@SETTINGS
@given(st.text(max_size=60))
def test_any_string_is_written_as_valid_toml(text: str) -> None:
    assert toml.loads(f"a = {tomlwrite.string(text)}\n")["a"] == text


@SETTINGS
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=10),
        st.lists(st.text(max_size=20), max_size=5)
        | st.text(max_size=20)
        | st.booleans()
        | st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True), st.text(max_size=8)),
        max_size=6,
    )
)
def test_tables_are_written_as_valid_toml(values: dict[str, object]) -> None:
    text = "\n".join(tomlwrite.table("t", values))
    assert toml.loads(text)["t"] == values


@SETTINGS
@given(
    st.lists(st.from_regex(r"[a-z0-9/._-]{1,30}", fullmatch=True), max_size=20, unique=True),
    st.dictionaries(names, st.from_regex(r"sha256:[0-9a-f]{8}", fullmatch=True), max_size=10),
)
def test_the_sync_stamp_reads_back(watched: list[str], verified: dict[str, str]) -> None:
    import tempfile

    from parity.env.stamp import SyncStamp, read_stamp, write_stamp

    stamp = SyncStamp(
        lock_digest="sha256:l",
        group="dev",
        python="3.11.7",
        lockfile="requirements-dev.txt",
        fingerprint="sha256:f",
        watched=tuple(watched),
        verified=verified,
    )
    with tempfile.TemporaryDirectory() as tmp:
        write_stamp(Path(tmp), stamp)
        assert read_stamp(Path(tmp)) == stamp


# -- redaction


secrets = st.from_regex(r"[A-Za-z0-9]{12,24}", fullmatch=True)
hosts = st.from_regex(r"[a-z]{1,10}\.(example|test)", fullmatch=True)


@SETTINGS
@given(
    st.sampled_from(["https", "http", "git+https"]),
    hosts,
    secrets,
    st.sampled_from(["token", "private_token", "X-Amz-Signature", "sig", "api_key", "password"]),
    st.booleans(),
)
def test_redaction_removes_every_planted_secret(
    scheme: str, host: str, secret: str, key: str, in_query: bool
) -> None:
    marker = f"SECRET{secret}"
    if in_query:
        url = f"{scheme}://{host}/path/file.whl?{key}={marker}&keep=1"
    else:
        url = f"{scheme}://user:{marker}@{host}/path/file.whl"
    for redacted in (redact_url(url), redact_credentials(url), redact_text(f"see {url}.")):
        assert marker not in redacted
        assert host in redacted
    assert redact_url(redact_url(url)) == redact_url(url)
    assert redact_credentials(redact_credentials(url)) == redact_credentials(url)
    if in_query:
        assert "keep=1" in redact_url(url)


@SETTINGS
@given(hosts, st.from_regex(r"[A-Z_]{1,10}", fullmatch=True))
def test_variable_references_are_kept(host: str, variable: str) -> None:
    url = f"https://${{{variable}}}:${{{variable}_TOKEN}}@{host}/simple"
    assert redact_url(url) == url
    assert redact_credentials(url) == url


def test_a_key_ending_in_a_newline_is_quoted() -> None:
    # Found by the property above: "$" matches before a final newline.
    assert toml.loads("\n".join(tomlwrite.table("t", {"a\n": "x"})))["t"] == {"a\n": "x"}
