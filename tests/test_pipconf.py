"""One reader of pip's configuration, in pip's order; lock and snapshot both use it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parity.env.snapshot.settings import index_configuration
from parity.lock.index import read_pip_index_config
from parity.pipconf import effective_options, pip_config_files, read_pip_configs

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file locations")


def environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_DIRS": f"{tmp_path}/xdg1{os.pathsep}{tmp_path}/xdg2",
        **extra,
    }


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_files_come_in_pips_order(tmp_path: Path) -> None:
    env = environ(tmp_path, XDG_CONFIG_HOME=str(tmp_path / "cfg"), PIP_CONFIG_FILE="/nope.conf")
    files = pip_config_files(env, prefix=str(tmp_path / "venv"))
    assert files == [
        tmp_path / "xdg1" / "pip" / "pip.conf",
        tmp_path / "xdg2" / "pip" / "pip.conf",
        Path("/etc/pip.conf"),
        tmp_path / "home" / ".pip" / "pip.conf",
        tmp_path / "cfg" / "pip" / "pip.conf",
        tmp_path / "venv" / "pip.conf",
        Path("/nope.conf"),
    ]


def test_an_existing_pip_config_file_replaces_the_user_files(tmp_path: Path) -> None:
    chosen = write(
        tmp_path / "chosen.conf", "[global]\nindex-url = https://chosen.example/simple\n"
    )
    files = pip_config_files(environ(tmp_path, PIP_CONFIG_FILE=str(chosen)), prefix=None)
    assert chosen in files
    assert not any(".pip" in str(f) or ".config" in str(f) for f in files)


def test_devnull_turns_every_file_off(tmp_path: Path) -> None:
    assert pip_config_files(environ(tmp_path, PIP_CONFIG_FILE=os.devnull), prefix="/x") == []


def test_later_files_install_sections_and_variables_win(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write(tmp_path / "xdg1/pip/pip.conf", "[global]\nindex-url = https://a.example/simple\n")
    write(
        home / ".pip/pip.conf",
        "[global]\nindex_url = https://b.example/simple\nfind-links = ./w1\n"
        "[install]\nfind_links = ./w2 ./w3\n",
    )
    env = environ(tmp_path)
    configs = read_pip_configs(pip_config_files(env, prefix=None))
    values = effective_options(env, configs)
    assert values["index-url"] == "https://b.example/simple"
    assert values["find-links"] == "./w2 ./w3"
    env["PIP_INDEX_URL"] = "https://env.example/simple"
    assert effective_options(env, configs)["index-url"] == "https://env.example/simple"


def test_unreadable_files_are_skipped_as_pip_skips_them(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.conf", "this is [not ini\n")
    binary = tmp_path / "binary.conf"
    binary.write_bytes(b"\xff\xfe\x00")
    good = write(tmp_path / "good.conf", "[global]\nno-index = yes\n")
    configs = read_pip_configs([tmp_path / "missing.conf", broken, binary, tmp_path, good])
    assert configs == [{"global": {"no-index": "yes"}}]


def test_lock_and_snapshot_read_the_same_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "home/.config/pip/pip.conf",
        "[global]\nindex-url = https://user:s3cret@private.example/simple\n"
        "extra-index-url = https://extra.example/simple\n",
    )
    env = environ(tmp_path)
    locked = read_pip_index_config(env)
    assert locked.index_url == "https://user:s3cret@private.example/simple"  # for uv only
    assert locked.extra_index_urls == ("https://extra.example/simple",)
    recorded = index_configuration(env, read_pip_configs(pip_config_files(env, prefix=None)))
    assert recorded["index-url"] == ["https://***@private.example/simple"]
    assert recorded["extra-index-url"] == ["https://extra.example/simple"]


PLAIN_AND_NOT = [
    "[global]\nindex-url = https://example.invalid/simple\n",
    "[global]\nfind-links = /srv/wheels\nextra-index-url = file:///a file:///b\n\n[install]\nno-index: yes\n",
    "# comment\n; another\n[global]\n  # indented comment\nIndex_URL=https://x.invalid\n\n\n",
    "[global]\nkey = a = b : c\nother: x=y\nempty =\n",
    "[global]\r\nindex-url = https://x.invalid\r\n",
    "[global]\nextra-index-url =\n    https://a.invalid\n    https://b.invalid\n",
    "[global]\nkey = one\n\n  two\n",
    "[DEFAULT]\ntimeout = 5\n[global]\nindex-url = x\n",
    "[global]\nindex-url = a\n[global]\nindex-url = b\n",
    "[global]\nindex-url = a\nINDEX-URL = b\n",
    "index-url = a\n[global]\n",
    "[global]\njust a line\n",
    "[global]\n= value\n",
    "[global] trailing\nkey = v\n",
    "[]\nkey = v\n",
    "[a]b]\nkey = v\n",
    "",
    "\n\n# only comments\n",
    "[global]\n\tindex-url = tabbed\n",
]


@pytest.mark.parametrize("text", PLAIN_AND_NOT)
def test_plain_files_are_read_as_configparser_reads_them(text: str) -> None:
    from parity.pipconf import _configparser_sections, plain_ini_sections

    plain = plain_ini_sections(text)
    if plain is not None:
        assert plain == _configparser_sections(text, "pip.conf")


def test_the_usual_pip_files_are_plain() -> None:
    from parity.pipconf import plain_ini_sections

    assert plain_ini_sections(PLAIN_AND_NOT[1]) == {
        "global": {"find-links": "/srv/wheels", "extra-index-url": "file:///a file:///b"},
        "install": {"no-index": "yes"},
    }


def test_a_file_configparser_refuses_is_skipped_whatever_the_reader(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conf"
    bad.write_text("[global]\nindex-url = a\n[global]\nindex-url = b\n", encoding="utf-8")
    good = tmp_path / "good.conf"
    good.write_text("[global]\nindex-url = c\n", encoding="utf-8")
    assert read_pip_configs([bad, good]) == [{"global": {"index-url": "c"}}]
