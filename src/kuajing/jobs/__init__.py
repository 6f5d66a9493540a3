"""Jobs the service sends to a Spark cluster: a scan or a recording of a data-lake dataset,
queued by a user, run one at a time by the service's worker thread (`worker.py`), kept in the
table `spark_jobs` (`store.py`) with their status and result, per organisation."""
