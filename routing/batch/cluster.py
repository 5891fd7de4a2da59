"""Dask clusters for batch work: connect, send the networks to the workers once, run tasks.

Dask is an optional extra (``pip install "routing[dask]"``): this module imports it only when
a function here is called, so that the rest of the toolkit works without it.

A cluster is given as a ``distributed.Client``, a cluster object (``LocalCluster``,
dask-jobqueue's ``SLURMCluster``, dask-kubernetes' ``KubeCluster``...), a scheduler address
``"tcp://HOST:PORT"``, or ``None``: the scheduler named by ``DASK_SCHEDULER_ADDRESS`` if set,
else a ``LocalCluster`` of worker processes on this machine.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from ..exceptions import ClusterError, InvalidArgumentError
from ..network import RoadNetwork

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "CONNECT_TIMEOUT_S",
    "SCHEDULER_ENV",
    "ClusterLike",
    "connect",
    "map_bounded",
    "networks_on_workers",
    "scheduler_address",
]

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
# A scheduler that does not answer within this time is reported, not waited for.
CONNECT_TIMEOUT_S = 5.0

K = TypeVar("K")

ClusterLike = Any
"""A ``distributed.Client``, a Dask cluster object, a scheduler address, or ``None``."""


def scheduler_address(given: str | None = None) -> str | None:
    """The scheduler address given, else ``$DASK_SCHEDULER_ADDRESS``, else ``None``."""
    return given or os.environ.get(SCHEDULER_ENV) or None


@contextmanager
def connect(cluster: ClusterLike = None, *, workers: int | None = None) -> Iterator[Client]:
    """A Dask client for ``cluster`` (see the module docstring), closed on exit if opened here.

    Parameters
    ----------
    cluster
        A client (used as is), a cluster object, a scheduler address, or ``None``.
    workers
        Worker processes of the ``LocalCluster`` started when no scheduler is given
        (default: one per core); each runs one task at a time.

    Raises
    ------
    ClusterError
        Dask is not installed, or the scheduler does not answer within
        :data:`CONNECT_TIMEOUT_S`.
    InvalidArgumentError
        A malformed scheduler address, or fewer than one worker.
    """
    distributed = _distributed()
    if isinstance(cluster, distributed.Client):
        yield cluster
        return
    if workers is not None and workers < 1:
        raise InvalidArgumentError(f"workers must be at least 1, got {workers}")
    address = scheduler_address(cluster) if cluster is None or isinstance(cluster, str) else None
    if cluster is not None and not isinstance(cluster, str):
        with distributed.Client(cluster) as client:
            yield client
    elif address is not None:
        with _remote_client(distributed, address) as client:
            yield client
    else:
        local = distributed.LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,  # the engine and the Monte Carlo are single-threaded numpy
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
        with local, distributed.Client(local) as client:
            yield client


@contextmanager
def _remote_client(distributed: Any, address: str) -> Iterator[Client]:
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S)
    except ValueError as exc:  # no port, unknown scheme
        raise InvalidArgumentError(
            f"bad Dask scheduler address {address!r}: {exc} (expected tcp://HOST:PORT)"
        ) from exc
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT_S:g} s "
            "(is `dask scheduler` running there, and the port open?)"
        ) from exc
    with client:
        yield client


@contextmanager
def networks_on_workers(client: Client, networks: dict[str, RoadNetwork | None]) -> Iterator[str]:
    """Send networks to every worker once, for the duration of the block.

    The networks travel in a worker plugin: each worker (including one that joins or is
    restarted later) unpickles them once and keeps them; tasks look them up by the token
    yielded here (:func:`routing.batch._worker.network`) and build the routing engine and
    gazetteer on first use, once per worker process. Only the networks' data is sent (a copy
    without the engine and indexes cached on the object).
    """
    from ._worker import NetworkPlugin

    token = uuid.uuid4().hex
    plain = {k: dataclasses.replace(v) for k, v in networks.items() if v is not None}
    name = f"routing-networks-{token}"
    client.register_plugin(NetworkPlugin(token, plain), name=name)
    try:
        yield token
    finally:
        client.unregister_worker_plugin(name)  # type: ignore[no-untyped-call]


def map_bounded(
    client: Client,
    fn: Callable[..., Any],
    tasks: Iterable[tuple[K, tuple[Any, ...]]],
    *,
    prefix: str,
    window: int | None = None,
) -> Iterator[tuple[K, Any, BaseException | None]]:
    """Run ``fn(*args)`` for each ``(key, args)`` with at most ``window`` tasks in flight.

    Tasks are taken from the iterable only as earlier ones finish, so inputs larger than
    memory stream through. A task whose worker dies is re-run by Dask on another worker; a
    task that kills workers repeatedly (Dask's ``allowed-failures``) is given up.

    Yields
    ------
    tuple
        ``(key, result, None)`` per finished task, or ``(key, None, exception)`` for a task
        Dask gave up on; in order of completion.
    """
    distributed = _distributed()
    if window is None:
        window = max(4, 2 * sum(client.nthreads().values()))  # type: ignore[no-untyped-call]
    run = uuid.uuid4().hex[:8]
    pending = iter(tasks)
    keys: dict[str, K] = {}
    numbers = itertools.count()
    done = distributed.as_completed()

    def submit_next() -> bool:
        item = next(pending, None)
        if item is None:
            return False
        key, args = item
        future = client.submit(fn, *args, key=f"{prefix}-{run}-{next(numbers)}", pure=False)
        keys[str(future.key)] = key
        done.add(future)
        return True

    for _ in range(window):
        if not submit_next():
            break
    for future in done:
        key = keys.pop(str(future.key))
        if future.status == "finished":
            yield key, future.result(), None
        else:
            yield key, None, future.exception()
        future.release()
        submit_next()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(
            'Dask is not installed: pip install "routing[dask]" (batch and distributed commands '
            "run on Dask)"
        ) from exc
    return distributed
