"""One list of the packages that seed an environment, used by check, verify and diff."""

from __future__ import annotations

from parity.diagnose.diff import compare_snapshots
from parity.diagnose.risk import default_rules, parse_rules
from parity.env.seed import SEED_PACKAGES
from parity.env.snapshot_model import Distribution, Snapshot


def test_the_diff_rules_use_the_seed_list() -> None:
    assert default_rules().seed_packages == SEED_PACKAGES


def test_a_rule_file_can_add_seed_packages() -> None:
    extra = parse_rules(
        'schema = "parity/risk-rules@1"\n[packages]\nseed = ["Pip_Tools"]\n',
        path="rules.toml",
        partial=True,
    )
    assert extra.seed_packages == SEED_PACKAGES | {"pip-tools"}


def test_seed_packages_in_an_environment_are_not_extra_against_a_lock() -> None:
    lock = Snapshot("lock", "lock", None, None, (Distribution("alpha", "1.0"),))
    env = Snapshot(
        "venv",
        "venv",
        None,
        None,
        tuple(Distribution(n, "1.0") for n in ["alpha", *sorted(SEED_PACKAGES)]),
    )
    assert compare_snapshots(lock, env) == []
