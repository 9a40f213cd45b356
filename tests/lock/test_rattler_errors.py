"""py-rattler's failures to reach a channel, worded as uv's unreachable index is."""

from __future__ import annotations

from parity.lock.engines.rattler import channel_unreachable

CAUSES = (
    "failed to fetch numpy-1.26.4-pyh_0.tar.bz2\n"
    "Caused by: error sending request for url ({url})\n"
    "Caused by: client error (Connect)\n"
    "Caused by: dns error: failed to lookup address information"
)


def test_a_channel_written_as_a_url_is_named_as_written_with_its_token_masked() -> None:
    text = CAUSES.format(url="https://channels.example.invalid/team/noarch/numpy.tar.bz2")
    error = channel_unreachable(text, ["https://me:tok3n@channels.example.invalid/team"])
    assert error is not None
    assert error.message == (
        "cannot reach the conda channel https://***@channels.example.invalid/team: "
        "dns error: failed to lookup address information"
    )
    assert "proxy" in (error.hint or "") and "tok3n" not in (error.hint or "")


def test_a_channel_given_by_name_is_named_by_its_name() -> None:
    text = CAUSES.format(url="https://channels.example.invalid/conda-forge/linux-64/repodata.json")
    error = channel_unreachable(text, ["conda-forge"])
    assert error is not None
    assert error.message.startswith("cannot reach the conda channel conda-forge: dns error")


def test_a_failure_that_is_not_the_network_is_left_to_the_caller() -> None:
    assert channel_unreachable("sha256 mismatch for numpy-1.26.4-pyh_0.tar.bz2", []) is None
