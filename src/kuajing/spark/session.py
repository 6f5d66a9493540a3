"""Spark sessions for kuajing's jobs, and Spark's failures as one-line `SparkError`s.

A session runs in local mode (`local[2]`, the default), on a cluster master (`spark://host:port`,
`yarn`, `k8s://...`) or on a Spark Connect server (`sc://host:port`). It is configured for exact,
quiet and private jobs: partition values stay strings (as the local engine reads them), times are
UTC, the driver logs errors only and shows no progress bar of its own.

Executors run kuajing's Python functions. A classic session points them at this process's Python
(PYSPARK_PYTHON, unless set): right in local mode and for workers on this machine. On a real
cluster, kuajing[spark] must be installed in the executors' Python too (set PYSPARK_PYTHON, or
`spark.pyspark.python`, to it); with Spark Connect, in the Python of the server's executors."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sys
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from kuajing.errors import KuajingError, RequestError, SparkError

try:
    from pyspark.errors import AnalysisException, PySparkException
    from pyspark.sql import SparkSession
except ImportError as exc:  # the `spark` extra is not installed
    raise SparkError(
        "Spark is not installed: pip install 'kuajing[spark]'",
        zh="未安装 Spark：请运行 pip install 'kuajing[spark]'",
    ) from exc

# pyspark 4.3 warns about pandas 3 (the connect extra's); kuajing's jobs exchange Arrow, not pandas.
warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)

CONNECT_TIMEOUT = 5.0  # seconds a master's or Connect server's port has to accept a connection
EXECUTOR_WAIT = 60.0  # seconds a standalone master has to give the session its first executor
LOG_CONFIG = Path(__file__).with_name("log4j2.properties")
MAX_LINE = 500

# Runtime SQL settings, for classic and Connect sessions alike.
SQL_CONF = {
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",  # Hive values as strings
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


@contextmanager
def spark_session(
    master: str | None = None,
    remote: str | None = None,
    app: str = "kuajing",
    conf: Mapping[str, str] | None = None,
) -> Iterator[SparkSession]:
    """A session on `remote` (Spark Connect, `sc://host:port`) or `master` (default `local[2]`),
    stopped on leaving. `conf` adds Spark settings (executor memory and cores...). A classic
    session already running in this process on the same master is used, and left running."""
    if master and remote:
        raise RequestError("give either a Spark master or a Spark Connect address, not both")
    url = remote or master or "local[2]"
    _check_reachable(url)
    if not remote:
        spark, owned = _classic(url, app, conf or {})
        try:
            yield spark
        finally:
            if owned:
                spark.stop()
        return
    with _connect_mode():
        spark = _connect(remote, app, conf or {})
        try:
            yield spark
        finally:
            spark.stop()


@contextmanager
def _connect_mode() -> Iterator[None]:
    """pyspark marks the process as Spark Connect's (an environment variable) on the first
    Connect session, and refuses classic sessions after it: the mark goes with the session."""
    before = os.environ.get("SPARK_CONNECT_MODE_ENABLED")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SPARK_CONNECT_MODE_ENABLED", None)


def _connect(remote: str, app: str, conf: Mapping[str, str]) -> SparkSession:
    builder = SparkSession.builder.remote(remote).appName(app)
    for key, value in {**SQL_CONF, **conf}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.create()
        spark.version  # noqa: B018  (a first round trip: does the server answer?)
    except PySparkException as exc:
        raise _no_answer(remote, _one_line(exc)) from exc
    return spark


def _classic(master: str, app: str, conf: Mapping[str, str]) -> tuple[SparkSession, bool]:
    running = SparkSession.getActiveSession()
    if running is not None:
        if running.sparkContext.master != master:
            raise SparkError(
                f"a Spark session on {running.sparkContext.master} already runs in this"
                f" process: it cannot also run on {_shown(master)}",
                zh=f"本进程已有在 {running.sparkContext.master} 上的 Spark 会话，"
                f"不能同时在 {_shown(master)} 上运行",
            )
        return running, False
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SparkError(
            "Spark needs a Java runtime (17 or later): none found on PATH or in JAVA_HOME",
            zh="Spark 需要 Java 运行环境（17 或更高版本）：PATH 与 JAVA_HOME 中均未找到",
        )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName(app)
    for key, value in _classic_conf(conf).items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # the JVM, its gateway or the master refused: one line
        reason = _one_line(exc)
        if "stopped SparkContext" in reason:  # the standalone client gave up registering
            reason = "its port is open, but no Spark master registered the application"
        raise _no_answer(master, reason) from exc
    spark.sparkContext.setLogLevel("ERROR")
    if master.startswith("spark://"):
        try:
            wait_for_executors(spark, 1, EXECUTOR_WAIT)
        except SparkError:
            spark.stop()
            raise
    return spark, True


def _classic_conf(conf: Mapping[str, str]) -> dict[str, str]:
    """Quiet driver (its log settings and no console progress bar), the SQL settings, the
    driver's address when SPARK_LOCAL_IP names one, then the caller's settings."""
    java_options = conf.get("spark.driver.extraJavaOptions", "")
    if "log4j2.configurationFile" not in java_options:
        java_options = f"{java_options} -Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}".strip()
    settings = {"spark.ui.showConsoleProgress": "false", **SQL_CONF}
    local_ip = os.environ.get("SPARK_LOCAL_IP")
    if local_ip:
        settings |= {"spark.driver.host": local_ip, "spark.driver.bindAddress": local_ip}
    return {**settings, **conf, "spark.driver.extraJavaOptions": java_options}


def wait_for_executors(spark: SparkSession, count: int, timeout: float) -> None:
    """Wait until `count` executors have registered with a classic session. A standalone master
    without a free worker never gives one, and Spark would wait for ever without a word."""
    context = spark.sparkContext
    master = context.master or "?"
    deadline = time.monotonic() + timeout
    while context._jsc.sc().getExecutorMemoryStatus().size() - 1 < count:  # minus the driver
        if time.monotonic() > deadline:
            raise SparkError(
                f"Spark cluster {_shown(master)} gave no executor within {timeout:.0f} s:"
                " are its workers alive, with the cores and memory asked?",
                zh=f"Spark 集群 {_shown(master)} 在 {timeout:.0f} 秒内未分配执行器："
                "其工作节点是否在运行，且有所需的核数与内存？",
            )
        time.sleep(0.2)


def _check_reachable(url: str) -> None:
    """Spark retries an absent master or Connect server for minutes: a port that refuses, or
    does not accept within CONNECT_TIMEOUT, is reported before any JVM starts."""
    reasons = []
    for host, port in _endpoints(url):
        try:
            with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
                return
        except OSError as exc:
            reasons.append(f"{host}:{port}: {(exc.strerror or str(exc) or 'timed out').lower()}")
    if reasons:
        raise _no_answer(url, "; ".join(reasons))


def _endpoints(url: str) -> list[tuple[str, int]]:
    """The host and port of each master of `spark://h1:p1,h2:p2` (7077 by default) or of a
    Connect server `sc://host:port/;params` (15002); none for local mode, YARN, Kubernetes."""
    scheme, _, rest = url.partition("://")
    default = {"spark": 7077, "sc": 15002}.get(scheme)
    if default is None:
        return []
    found = []
    for part in rest.split("/", 1)[0].split(";", 1)[0].split(","):
        try:
            place = urlsplit(f"//{part}")
            host, port = place.hostname, place.port or default
        except ValueError:
            host = None
        if not host:
            raise RequestError(f"not a Spark address (host:port): {_shown(url)}")
        found.append((host, port))
    return found


def _shown(url: str) -> str:
    """`url` without a Connect address's parameters (a token may be one)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.split('/', 1)[0]}" if sep else url


def _no_answer(url: str, reason: str) -> SparkError:
    return SparkError(
        f"Spark cluster {_shown(url)} did not answer: {reason}",
        zh=f"Spark 集群 {_shown(url)} 无应答：{reason}",
    )


@contextmanager
def guarded() -> Iterator[None]:
    """Spark's failures inside the block leave it as one-line `SparkError`s (`job_error`)."""
    try:
        yield
    except KuajingError:
        raise
    except Exception as exc:
        if not _from_spark(exc):
            raise
        raise job_error(exc) from exc


def _from_spark(exc: BaseException) -> bool:
    # py4j's errors (a Java exception the JVM gave back, a lost gateway) without importing it
    return isinstance(exc, PySparkException) or type(exc).__module__.startswith("py4j")


def job_error(exc: BaseException) -> SparkError:
    """One line for a failed Spark job, with no Java stack: the Python error an executor raised,
    an executor's failure, a query Spark refused, or the first meaningful line."""
    if isinstance(exc, SparkError):
        return exc
    text = _text(exc)
    cause = _python_error(text) or _lost_task(text)
    if cause:
        return SparkError(
            _clip(f"a Spark job failed on an executor: {cause}"),
            zh=_clip(f"Spark 作业在执行器上失败：{cause}"),
        )
    line = _first_line(text) or type(exc).__name__
    if isinstance(exc, AnalysisException):
        return SparkError(
            _clip(f"Spark refused the query: {line}"), zh=_clip(f"Spark 拒绝了查询：{line}")
        )
    return SparkError(_clip(f"a Spark job failed: {line}"), zh=_clip(f"Spark 作业失败：{line}"))


def _one_line(exc: BaseException) -> str:
    return _first_line(_text(exc)) or type(exc).__name__


def _text(exc: BaseException) -> str:
    java = getattr(exc, "java_exception", None)  # py4j's Py4JJavaError: the Java exception
    if java is not None:
        try:
            return str(java.toString())
        except Exception:  # the JVM is gone: py4j's own text
            pass
    return str(exc)


_TRACEBACK = "Traceback (most recent call last):"
_PYTHON_ERROR = re.compile(r"[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b(:.*)?")
_LOST_TASK = re.compile(r"most recent failure: Lost task [^\n]*? executor [^)\n]*\): ([^\n]+)")


def _python_error(text: str) -> str | None:
    """The last line of the first Python traceback in `text`: the error and its message."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _TRACEBACK in line), None)
    if start is None:
        return None
    for line in lines[start + 1 :]:
        if line[:1] not in (" ", "\t", "") and _PYTHON_ERROR.fullmatch(line.strip()):
            return line.strip()
    return None


def _lost_task(text: str) -> str | None:
    found = _LOST_TASK.search(text)
    return found.group(1).strip() if found else None


_NOISE = ("at ", "An error occurred while calling", "JVM stacktrace:", _TRACEBACK)
_PREFIXES = ("org.apache.spark.SparkException: ", "py4j.protocol.Py4JJavaError: ")


def _first_line(text: str) -> str:
    for raw in text.splitlines():
        line = raw.strip().removeprefix(": ")
        if not line or line.startswith(_NOISE):
            continue
        for prefix in _PREFIXES:
            line = line.removeprefix(prefix)
        return line
    return ""


def _clip(line: str) -> str:
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"
