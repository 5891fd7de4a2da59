"""What lives in each Dask worker process: the networks of a batch, received once.

Imported on the workers (and by :func:`routing.batch.cluster.networks_on_workers`); it
imports ``distributed``, so nothing imports it at module level.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from ..exceptions import ClusterError
from ..network import RoadNetwork

__all__ = ["NetworkPlugin", "network", "received"]

# Per process: batch token -> network name -> network.
_NETWORKS: dict[str, dict[str, RoadNetwork]] = {}
# Per process: how many times each token's networks arrived (tests check it is once).
_RECEIVED: dict[str, int] = {}


class NetworkPlugin(WorkerPlugin):
    """Carries a batch's networks to every worker; registered under a per-batch name."""

    def __init__(self, token: str, networks: dict[str, RoadNetwork]) -> None:
        self.token = token
        self.networks = networks

    def setup(self, worker: Any) -> None:
        _NETWORKS[self.token] = self.networks
        _RECEIVED[self.token] = _RECEIVED.get(self.token, 0) + 1

    def teardown(self, worker: Any) -> None:
        _NETWORKS.pop(self.token, None)


def network(token: str, name: str) -> RoadNetwork | None:
    """The network ``name`` of the batch ``token`` in this worker (``None`` if none was sent)."""
    if token not in _NETWORKS:
        raise ClusterError(f"this worker has no networks for batch {token}")
    return _NETWORKS[token].get(name)


def received(token: str) -> int:
    """How many times this worker process received the networks of batch ``token``."""
    return _RECEIVED.get(token, 0)
