"""The pathway engine: pure functions from a validated request to a typed decision."""

from kuajing.engine.assess import assess
from kuajing.engine.decision import Decision, TransferDecision
from kuajing.engine.request import Request, Transfer

__all__ = ["Decision", "Request", "Transfer", "TransferDecision", "assess"]
