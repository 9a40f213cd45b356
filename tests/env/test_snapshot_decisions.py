"""What a snapshot holds, decided from plain values (no interpreter, no disk)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parity.env.snapshot.decode import (
    distribution_from_entry,
    snapshot_document,
    snapshot_from_probe,
    source_from_direct_url,
)
from parity.env.snapshot.native import (
    build_config_libraries,
    bundled_libraries,
    conda_libraries,
    lib_dir_provider,
    native_libraries,
    torch_libraries,
)
from parity.env.snapshot.settings import (
    behaviour_variables,
    index_configuration,
    pip_config_files,
    read_pip_configs,
)
from parity.env.snapshot_json import dumps_document, dumps_snapshot, snapshot_to_json
from parity.env.snapshot_model import Distribution, NativeLibrary
from parity.redact import hide_path, redact_credentials, redact_location

HOME = "/users/dev"

MESON_CONFIG = """
from enum import Enum
CONFIG = _cleanup(
    {
        "Compilers": {"c": {"name": "gcc", "version": "10.2.1"}},
        "Build Dependencies": {
            "blas": {
                "name": "scipy-openblas",
                "found": bool("True".lower().replace("false", "")),
                "version": "0.3.27",
                "lib directory": r"/project/lib",
            },
            "lapack": {
                "name": "scipy-openblas",
                "found": bool("True".lower().replace("false", "")),
                "version": "0.3.27",
            },
        },
    }
)
"""

LEGACY_CONFIG = """
__all__ = ["get_info", "show"]
blas_mkl_info = {}
openblas_info = {'libraries': ['openblas', 'openblas'], 'language': 'c'}
blas_opt_info = {'libraries': ['openblas', 'openblas'], 'language': 'c'}
openblas_lapack_info = {'libraries': ['openblas', 'openblas'], 'language': 'c'}
lapack_mkl_info = {}
def show():
    pass
"""


# ------------------------------------------------------------------ names and entries


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("Foo_Bar", "foo-bar"), ("ruamel.yaml", "ruamel-yaml"), ("A-_.B", "a-b"), ("six", "six")],
)
def test_names_are_canonicalised(raw: str, canonical: str) -> None:
    entry = {"entry": f"{raw}-1.0.dist-info", "meta": {"name": raw, "version": "1.0"}}
    dist = distribution_from_entry(entry)
    assert dist is not None and dist.name == canonical


def test_a_dist_info_name_gives_name_and_version_without_metadata() -> None:
    dist = distribution_from_entry(
        {"entry": "PyYAML-6.0.1.dist-info", "installer": "pip", "requested": True}
    )
    assert dist == Distribution("pyyaml", "6.0.1", installer="pip", requested=True)


def test_metadata_names_the_distribution_when_the_directory_name_is_unusual() -> None:
    dist = distribution_from_entry(
        {"entry": "odd-1.0_x.dist-info", "meta": {"name": "Odd.Pkg", "version": "1.0.post1"}}
    )
    assert dist is not None
    assert (dist.name, dist.version) == ("odd-pkg", "1.0.post1")


def test_an_egg_info_is_read_from_its_metadata() -> None:
    dist = distribution_from_entry(
        {"entry": "Old.Pkg-0.9-py3.8.egg-info", "meta": {"name": "Old.Pkg", "version": "0.9"}}
    )
    assert dist == Distribution("old-pkg", "0.9")


def test_an_egg_link_is_an_editable_local_install() -> None:
    dist = distribution_from_entry(
        {"entry": "proj.egg-link", "meta": {"name": "proj", "version": "0.1"}, "egg_link": True}
    )
    assert dist == Distribution("proj", "0.1", source="local", editable=True)


def test_an_egg_link_without_metadata_is_named_after_the_link() -> None:
    dist = distribution_from_entry({"entry": "Proj.egg-link", "meta": {}, "egg_link": True})
    assert dist == Distribution("proj", None, source="local", editable=True)


def test_a_missing_requested_file_means_not_requested_only_for_installers_that_write_it() -> None:
    by_uv = distribution_from_entry(
        {"entry": "a-1.dist-info", "installer": "uv", "requested": False}
    )
    by_conda = distribution_from_entry(
        {"entry": "b-1.dist-info", "installer": "conda", "requested": False}
    )
    assert by_uv is not None and by_uv.requested is False
    assert by_conda is not None and by_conda.requested is None


def test_the_first_site_directory_wins_for_a_name() -> None:
    raw = {
        "python": {"implementation": "CPython", "version": "3.11.7"},
        "sites": [
            {"dists": [{"entry": "six-1.17.0.dist-info"}]},
            {"dists": [{"entry": "six-1.10.0.dist-info"}, {"entry": "attrs-23.1.0.dist-info"}]},
        ],
    }
    snapshot = snapshot_from_probe(raw, label="x")
    assert [(d.name, d.version) for d in snapshot.distributions] == [
        ("attrs", "23.1.0"),
        ("six", "1.17.0"),
    ]


# ------------------------------------------------------------------ sources and redaction


def direct_url(**data: object) -> str:
    return json.dumps(data)


def test_an_editable_install_is_local_and_editable() -> None:
    text = direct_url(url="file:///users/dev/proj", dir_info={"editable": True})
    assert source_from_direct_url(text) == ("local", True)


def test_a_vcs_install_keeps_the_commit_and_loses_the_credentials() -> None:
    text = direct_url(
        url="https://user:s3cret@git.example/org/repo.git",
        vcs_info={"vcs": "git", "commit_id": "0123abcd", "requested_revision": "main"},
        subdirectory="pkg",
    )
    source, editable = source_from_direct_url(text)
    assert source == "git+https://***@git.example/org/repo.git@0123abcd#subdirectory=pkg"
    assert not editable


def test_a_vcs_install_from_a_local_repository_is_local() -> None:
    text = direct_url(url="file:///data/repo", vcs_info={"vcs": "git", "commit_id": "abc"})
    assert source_from_direct_url(text) == ("local", False)


def test_an_archive_url_is_kept_without_credentials() -> None:
    text = direct_url(url="https://tok@files.example/a-1.0.tar.gz", archive_info={})
    assert source_from_direct_url(text) == ("https://***@files.example/a-1.0.tar.gz", False)


def test_unreadable_direct_url_json_is_no_source() -> None:
    assert source_from_direct_url("{not json") == (None, False)
    assert source_from_direct_url("[" * 100_000) == (None, False)
    assert source_from_direct_url('{"url": "file:///x"} trailing') == (None, False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://index.example/simple", "https://index.example/simple"),
        ("https://user:pass@index.example/simple", "https://***@index.example/simple"),
        ("https://token@index.example/simple", "https://***@index.example/simple"),
        (
            "https://${USER}:${TOKEN}@index.example/simple",
            "https://${USER}:${TOKEN}@index.example/simple",
        ),
        (
            "https://index.example/simple?token=abc&x=1",
            "https://index.example/simple?token=***&x=1",
        ),
    ],
)
def test_credentials_are_redacted(url: str, expected: str) -> None:
    assert redact_credentials(url) == expected


@pytest.mark.parametrize(
    "location",
    ["file:///data/wheels", "/data/wheels", "wheels/", "C:\\wheels", "FILE:///x"],
)
def test_local_index_locations_become_a_placeholder(location: str) -> None:
    assert redact_location(location) == "<local>"


# ------------------------------------------------------------------ environment variables


def test_only_behaviour_changing_variables_that_are_set_are_recorded() -> None:
    env = {"OMP_NUM_THREADS": "4", "PYTHONHASHSEED": "0", "HOME": HOME, "SECRET_TOKEN": "x"}
    assert behaviour_variables(env, home=HOME) == {"OMP_NUM_THREADS": "4", "PYTHONHASHSEED": "0"}


def test_pythonpath_keeps_home_relative_entries_and_hides_other_machine_paths() -> None:
    value = os.pathsep.join([f"{HOME}/src", "/data/lib", "rel/dir"])
    found = behaviour_variables({"PYTHONPATH": value}, home=HOME)
    assert found["PYTHONPATH"] == os.pathsep.join(["~/src", "<local>", "rel/dir"])


def test_hide_path_leaves_ordinary_values_alone() -> None:
    assert hide_path("C.UTF-8", home=HOME) == "C.UTF-8"
    assert hide_path(HOME, home=HOME) == "~"


# ------------------------------------------------------------------ index configuration


def test_pip_settings_later_files_and_the_install_section_win() -> None:
    configs = [
        {"global": {"index-url": "https://first.example/simple"}},
        {
            "global": {"index-url": "https://second.example/simple"},
            "install": {"extra-index-url": "https://a.example/simple\nhttps://b.example/simple"},
        },
    ]
    assert index_configuration({}, configs) == {
        "index-url": ["https://second.example/simple"],
        "extra-index-url": ["https://a.example/simple", "https://b.example/simple"],
    }


def test_pip_and_uv_variables_are_combined_and_redacted() -> None:
    env = {
        "PIP_INDEX_URL": "https://u:p@index.example/simple",
        "PIP_FIND_LINKS": "/data/wheels https://links.example/",
        "UV_DEFAULT_INDEX": "https://uv.example/simple",
        "UV_INDEX": "internal=https://tok@internal.example/simple",
        "UV_EXTRA_INDEX_URL": "file:///data/index",
    }
    configs = [{"global": {"index-url": "https://ignored.example/simple"}}]
    assert index_configuration(env, configs) == {
        "index-url": ["https://***@index.example/simple", "https://uv.example/simple"],
        "extra-index-url": ["<local>", "https://***@internal.example/simple"],
        "find-links": ["<local>", "https://links.example/"],
    }


def test_nothing_configured_is_an_empty_index() -> None:
    assert index_configuration({}, []) == {}


def test_pip_config_file_devnull_means_no_configuration_files() -> None:
    assert pip_config_files({"PIP_CONFIG_FILE": os.devnull}, prefix="/env", home=Path(HOME)) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX configuration locations")
def test_pip_config_files_come_in_pips_priority_order(tmp_path: Path) -> None:
    env = {
        "PIP_CONFIG_FILE": str(tmp_path / "extra.conf"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
    }
    files = pip_config_files(
        env, prefix=str(tmp_path / "env"), home=tmp_path, system_dirs=[tmp_path / "etc"]
    )
    assert files == [
        tmp_path / "etc" / "pip.conf",
        tmp_path / ".pip" / "pip.conf",
        tmp_path / "xdg" / "pip" / "pip.conf",
        tmp_path / "env" / "pip.conf",
        tmp_path / "extra.conf",
    ]


def test_pip_config_files_are_read_with_either_key_spelling(tmp_path: Path) -> None:
    good = tmp_path / "pip.conf"
    good.write_text("[global]\nindex_url = https://index.example/simple\n", encoding="utf-8")
    broken = tmp_path / "broken.conf"
    broken.write_text("no section header\n", encoding="utf-8")
    configs = read_pip_configs([tmp_path / "missing.conf", broken, good])
    assert configs == [{"global": {"index-url": "https://index.example/simple"}}]


# ------------------------------------------------------------------ native libraries


def test_meson_build_config_gives_blas_and_lapack_with_versions() -> None:
    assert build_config_libraries(MESON_CONFIG, provider="numpy") == [
        NativeLibrary("blas", "scipy-openblas", "0.3.27", "numpy"),
        NativeLibrary("lapack", "scipy-openblas", "0.3.27", "numpy"),
    ]


def test_legacy_build_config_gives_the_implementation() -> None:
    assert build_config_libraries(LEGACY_CONFIG, provider="numpy") == [
        NativeLibrary("blas", "openblas", None, "numpy"),
        NativeLibrary("lapack", "openblas", None, "numpy"),
    ]


def test_unparsable_build_config_gives_nothing() -> None:
    assert build_config_libraries("def (:", provider="numpy") == []


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        (
            "libopenblas64_p-r0-15028c96.3.21.so",
            NativeLibrary("blas", "openblas", "0.3.21", "numpy"),
        ),
        (
            "libopenblasp-r0-2ecf47d5.3.13.dev.so",
            NativeLibrary("blas", "openblas", "0.3.13.dev", "numpy"),
        ),
        (
            "libopenblas64__v0.3.21-gcc_10_3_0.dll",
            NativeLibrary("blas", "openblas", "0.3.21", "numpy"),
        ),
        (
            "libscipy_openblas64_-ff651d7f.so",
            NativeLibrary("blas", "scipy-openblas", None, "numpy"),
        ),
        ("libgfortran-040039e1.so.5.0.0", NativeLibrary("fortran", "libgfortran", "5", "numpy")),
        ("libgomp-a34b3233.so.1.0.0", NativeLibrary("openmp", "libgomp", None, "numpy")),
        ("libiomp5md.dll", NativeLibrary("openmp", "libiomp", None, "numpy")),
        ("libomp.dylib", NativeLibrary("openmp", "libomp", None, "numpy")),
    ],
)
def test_bundled_libraries_are_recognised_by_file_name(
    filename: str, expected: NativeLibrary
) -> None:
    assert bundled_libraries([filename], provider="numpy") == [expected]


def test_unrelated_bundled_libraries_are_ignored() -> None:
    assert (
        bundled_libraries(["libjpeg-6dc8d115.so.62.4.0", "libquadmath-1.so.0"], provider="pillow")
        == []
    )


@pytest.mark.parametrize(
    ("directory", "provider"),
    [
        ("numpy.libs", "numpy"),
        ("scikit_learn.libs", "scikit-learn"),
        ("numpy/.libs", "numpy"),
        ("sklearn/.dylibs", "scikit-learn"),
        ("torch/lib", "torch"),
    ],
)
def test_bundled_library_directories_name_their_distribution(directory: str, provider: str) -> None:
    assert lib_dir_provider(directory) == provider


def test_torch_version_file_gives_the_cuda_it_was_built_for() -> None:
    text = "__version__ = '2.1.0+cu121'\ndebug = False\ncuda: Optional[str] = '12.1'\nhip: Optional[str] = None\n"
    assert torch_libraries(text) == [NativeLibrary("cuda", "cuda", "12.1", "torch")]


def test_conda_records_name_native_libraries() -> None:
    records = [
        "python-3.11.7-hab00c5b_1_cpython.json",
        "libopenblas-0.3.25-pthreads_h413a1c8_0.json",
        "cudatoolkit-11.8.0-h6a678d5_0.json",
        "llvm-openmp-17.0.6-h4dfa4b3_0.json",
        "mkl-2023.1.0-h213fc3f_46344.json",
    ]
    assert conda_libraries(records) == [
        NativeLibrary("blas", "openblas", "0.3.25", "libopenblas"),
        NativeLibrary("cuda", "cuda-runtime", "11.8.0", "cudatoolkit"),
        NativeLibrary("openmp", "libomp", "17.0.6", "llvm-openmp"),
        NativeLibrary("mkl", "mkl", "2023.1.0", "mkl"),
    ]


def test_a_legacy_config_takes_the_openblas_version_from_the_bundled_library() -> None:
    sites = [
        {
            "texts": {"numpy/__config__.py": LEGACY_CONFIG},
            "libs": {"numpy.libs": ["libopenblas64_p-r0-15028c96.3.21.so"]},
        }
    ]
    assert native_libraries(sites, []) == (
        NativeLibrary("blas", "openblas", "0.3.21", "numpy"),
        NativeLibrary("lapack", "openblas", "0.3.21", "numpy"),
    )


def test_the_same_library_from_several_distributions_is_one_entry() -> None:
    sites = [
        {
            "libs": {
                "scikit_learn.libs": ["libgomp-a34b3233.so.1.0.0"],
                "torch/lib": ["libgomp-a34b3233.so.1", "libtorch_cpu.so"],
            }
        }
    ]
    assert native_libraries(sites, []) == (
        NativeLibrary("openmp", "libgomp", None, "scikit-learn, torch"),
    )


def test_nvidia_and_mkl_wheels_are_native_libraries() -> None:
    dists = [
        Distribution("nvidia-cuda-runtime-cu12", "12.1.105"),
        Distribution("nvidia-cudnn-cu12", "8.9.2.26"),
        Distribution("mkl", "2024.0.0"),
        Distribution("six", "1.17.0"),
    ]
    assert native_libraries([], dists) == (
        NativeLibrary("cuda", "cuda-runtime", "12.1.105", "nvidia-cuda-runtime-cu12"),
        NativeLibrary("cudnn", "cudnn", "8.9.2.26", "nvidia-cudnn-cu12"),
        NativeLibrary("mkl", "mkl", "2024.0.0", "mkl"),
    )


# ------------------------------------------------------------------ environment kind


def test_a_prefix_with_conda_records_is_a_conda_environment() -> None:
    raw = {
        "python": {"implementation": "CPython", "version": "3.11.7"},
        "platform": {
            "system": "Linux",
            "machine": "x86_64",
            "libc": "glibc",
            "libc_version": "2.35",
        },
        "in_venv": False,
        "conda_meta": ["cudnn-8.9.7.29-hbc23b4c_3.json"],
        "sites": [],
    }
    snapshot = snapshot_from_probe(raw, label="env")
    assert snapshot.kind == "conda"
    assert snapshot.native == (NativeLibrary("cudnn", "cudnn", "8.9.7.29", "cudnn"),)
    assert snapshot.platform is not None and snapshot.platform.libc_version == "2.35"


@pytest.mark.parametrize(("in_venv", "kind"), [(True, "venv"), (False, "system")])
def test_venv_or_system_comes_from_the_prefixes(in_venv: bool, kind: str) -> None:
    raw = {
        "python": {"implementation": "CPython", "version": "3.12.1"},
        "in_venv": in_venv,
        "sites": [],
    }
    assert snapshot_from_probe(raw, label="x").kind == kind


def test_the_document_of_raw_facts_is_the_json_of_their_snapshot() -> None:
    # ``parity snapshot`` writes snapshot_document; the library returns snapshot_from_probe.
    raw = {
        "python": {"implementation": "CPython", "version": "3.11.7", "abi": "cpython-311"},
        "platform": {"system": "Linux", "machine": "x86_64", "libc": "glibc"},
        "in_venv": True,
        "conda_meta": ["cudnn-8.9.7.29-hbc23b4c_3.json", "mkl-2023.1.0-h1.json"],
        "sites": [
            {
                "dists": [
                    {"entry": "numpy-1.26.4.dist-info", "installer": "pip", "requested": True},
                    {"entry": "Zeta_Lib-2.0.dist-info", "installer": "uv", "requested": False},
                    {"entry": "odd.dist-info", "meta": {"name": "Odd", "version": "1"}},
                    {
                        "entry": "mine-0.1.dist-info",
                        "direct_url": '{"url": "file:///src/mine", "dir_info": {"editable": true}}',
                    },
                    {"entry": "nvidia_cudnn_cu12-8.9.dist-info"},
                    {"entry": "gone.egg-link", "meta": {}, "egg_link": True},
                ],
                "libs": {"numpy.libs": ["libopenblas64_p-r0-0cf96a72.3.23.dev.so"]},
                "texts": {"torch/version.py": "cuda = '12.1'\n"},
                "problems": ["broken.egg-link: names no project folder"],
            },
            {"dists": [{"entry": "numpy-1.25.0.dist-info", "installer": "pip"}]},
        ],
    }
    settings = {
        "label": "env",
        "env_vars": {"TZ": "UTC", "LANG": "C.UTF-8"},
        "index": {"index-url": ["https://example.invalid/simple"], "find-links": ["<local>"]},
        "taken_at": "2026-12-03T07:00:00Z",
    }
    document = snapshot_document(raw, **settings)  # type: ignore[arg-type]
    snapshot = snapshot_from_probe(raw, **settings)  # type: ignore[arg-type]
    assert document == snapshot_to_json(snapshot)
    assert dumps_document(document) == dumps_snapshot(snapshot)
    assert document["native"] and document["problems"]
    bare = {"in_venv": False, "sites": []}
    assert snapshot_document(bare, label="x") == snapshot_to_json(
        snapshot_from_probe(bare, label="x")
    )


ENTRY_NAMES = [
    "numpy-1.26.4.dist-info",
    "Zeta_Lib-2.0.dist-info",
    "a-b-1.0.dist-info",
    "odd.dist-info",
    "-1.0.dist-info",
    "name-.dist-info",
    "name-v1.dist-info",
    "name-1.0+local!x.dist-info",
    "name-1_0.dist-info",
    "name-1.0.dist-info\n",
    "thing-2.0-py3.11.egg-info",
    "thing-2.0.egg-info",
    "thing.egg-info",
]


@pytest.mark.parametrize("entry", ENTRY_NAMES)
def test_entry_names_are_read_as_the_patterns_read_them(entry: str) -> None:
    import re

    from parity.env.snapshot import decode, probe

    match = re.match(decode._DIST_INFO, entry) or re.match(decode._EGG_INFO, entry)
    expected = None if match is None else (match.group("name"), match.group("version"))
    assert decode._name_and_version(entry) == expected
    if entry.endswith(".dist-info"):
        escaped = r"^([^-]+)-([0-9][0-9A-Za-z.+!]*)\.dist-info$"
        assert probe._escaped(entry) == bool(re.match(escaped, entry))


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [
        (r"^nvidia-cuda-runtime(-cu\d+)?$", "nvidia-cuda-runtime"),
        (r"^mkl$", "mkl"),
        (r"^ab*c", "a"),
        (r"^ab?c", "a"),
        (r"^ab{0,2}", "a"),
        (r"^ab+", "ab"),
        (r"^a|b", ""),
        (r"nvidia", ""),
        (r"^(?i)mkl", ""),
        (r"^.kl", ""),
    ],
)
def test_a_pattern_is_compiled_only_for_names_that_may_match_it(pattern: str, prefix: str) -> None:
    from parity.env.snapshot.native import _literal_prefix

    assert _literal_prefix(pattern) == prefix


def test_the_running_interpreter_outside_a_project_with_its_own_venv_is_not_labelled_as_it(
    tmp_path: Path,
) -> None:
    """parity installed apart and run in uv-fastapi-example, which has a .venv: the
    snapshot of parity's own environment was labelled `.venv`, like the project's."""
    import sys

    from parity.env.snapshot.target import locate_target

    if sys.prefix == sys.base_prefix:
        pytest.skip("the tests run outside a virtual environment")
    name = Path(sys.prefix).name
    (tmp_path / name).mkdir()
    target = locate_target(python=None, env_dir=None, cwd=tmp_path, environ={})
    assert target.label == f"{name} (parity's own, outside this directory)"
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    assert locate_target(python=None, env_dir=None, cwd=elsewhere, environ={}).label == name
