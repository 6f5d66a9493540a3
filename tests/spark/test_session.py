"""Opening Spark sessions (the choices refused before any JVM starts) and Spark's failures as
one line. The jobs on a real cluster are in test_cluster.py."""

from __future__ import annotations

import time

import pytest
from pyspark.errors import PySparkValueError
from pyspark.sql import SparkSession

from kuajing.errors import RequestError, SparkError
from kuajing.spark import session
from kuajing.spark.session import guarded, job_error, spark_session
from tests.spark.conftest import CLUSTER_CONF, Cluster, free_port


def test_a_master_and_a_connect_address_together_are_refused() -> None:
    with (
        pytest.raises(RequestError, match="not both"),
        spark_session(master="local[1]", remote="sc://127.0.0.1:15002"),
    ):
        pass


@pytest.mark.parametrize("option", ["master", "remote"])
def test_a_cluster_that_does_not_answer_is_one_line_naming_it(option: str) -> None:
    url = f"{'spark' if option == 'master' else 'sc'}://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(SparkError) as raised, spark_session(**{option: url}):  # type: ignore[arg-type]
        pass
    assert time.monotonic() - started < 10
    assert str(raised.value).startswith(f"Spark cluster {url} did not answer: ")
    assert "\n" not in str(raised.value)
    assert url in raised.value.in_lang("zh")


def test_a_connect_token_is_not_shown() -> None:
    url = f"sc://127.0.0.1:{free_port()}/;token=s3cr3t"
    with pytest.raises(SparkError) as raised, spark_session(remote=url):
        pass
    assert "s3cr3t" not in str(raised.value) and "s3cr3t" not in raised.value.in_lang("zh")


def test_a_master_without_room_for_an_executor_is_one_line(
    spark_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spark would wait for ever, and say so only in a log kuajing keeps quiet."""
    monkeypatch.setattr(session, "EXECUTOR_WAIT", 3.0)
    conf = {**CLUSTER_CONF, "spark.executor.memory": "4g"}  # more than a worker has
    with (
        pytest.raises(SparkError, match=r"gave no executor within 3 s: are its workers alive"),
        spark_session(master=spark_cluster.master, conf=conf),
    ):
        pass
    assert SparkSession.getActiveSession() is None


def test_an_address_without_a_host_is_refused() -> None:
    with (
        pytest.raises(RequestError, match="not a Spark address"),
        spark_session(master="spark://:x"),
    ):
        pass


# What py4j and pyspark give for a Python error on an executor (shortened).
EXECUTOR_FAILURE = """An error occurred while calling o77.collectToPython.
: org.apache.spark.SparkException: Job aborted due to stage failure: Task 1 in stage 2.0 failed 4 \
times, most recent failure: Lost task 1.3 in stage 2.0 (TID 9) (127.0.0.1 executor 1): \
org.apache.spark.api.python.PythonException: Traceback (most recent call last):
  File "/tmp/x.py", line 3, in boom
    raise ValueError("no such column: 手机号")
ValueError: no such column: 手机号

\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator.handlePythonException(x.scala:1)
\tat org.apache.spark.scheduler.Task.run(Task.scala:147)
"""

OUT_OF_MEMORY = """Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 times, most \
recent failure: Lost task 0.3 in stage 0.0 (TID 3) (127.0.0.1 executor 0): \
java.lang.OutOfMemoryError: Java heap space
\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)
"""


def test_a_python_error_on_an_executor_is_its_last_traceback_line() -> None:
    error = job_error(RuntimeError(EXECUTOR_FAILURE))
    assert str(error) == "a Spark job failed on an executor: ValueError: no such column: 手机号"
    assert error.in_lang("zh") == "Spark 作业在执行器上失败：ValueError: no such column: 手机号"


def test_an_executor_failure_without_python_is_its_cause() -> None:
    error = job_error(RuntimeError(OUT_OF_MEMORY))
    assert (
        str(error)
        == "a Spark job failed on an executor: java.lang.OutOfMemoryError: Java heap space"
    )


def test_another_failure_is_its_first_meaningful_line() -> None:
    text = "An error occurred while calling o1.load.\n: java.io.IOException: disk gone\n\tat a(B:1)"
    assert (
        str(job_error(RuntimeError(text))) == "a Spark job failed: java.io.IOException: disk gone"
    )


def test_a_long_line_is_clipped() -> None:
    assert len(str(job_error(RuntimeError("x" * 5000)))) == 500


def test_guarded_turns_only_spark_errors_into_spark_errors() -> None:
    with pytest.raises(SparkError, match=r"^a Spark job failed: "), guarded():
        raise PySparkValueError("bad value")
    with pytest.raises(KeyError), guarded():
        raise KeyError("a bug of ours stays a bug")
