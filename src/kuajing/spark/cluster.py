"""Which Spark runs a job: local mode, a cluster master, or a Spark Connect server. Plain data,
so the command line and the service can name a cluster without importing Spark."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cluster:
    master: str | None = None  # spark://host:port, yarn, k8s://..., local[N]; None: local[2]
    remote: str | None = None  # sc://host:port (Spark Connect)
    conf: Mapping[str, str] = field(default_factory=dict)  # executor memory, cores...

    @property
    def shown(self) -> str:
        return self.remote or self.master or "local[2]"
