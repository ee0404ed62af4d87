"""The analytics domain's refusals, free of HTTP: the web layer and the CLI translate them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class AnalyticsError(Exception):
    """Base of every refusal the analytics layer makes on purpose."""


class PlanError(AnalyticsError):
    """A plan (sent by a client, or built by the reader) that breaks a rule; names the field."""

    def __init__(self, field: str, why: str) -> None:
        self.field = field
        self.why = why
        super().__init__(f"{self.path}: {why}")

    @property
    def path(self) -> str:
        """``plan.filters[1].op``; ``plan`` for the plan as a whole; a dictionary's
        ``columns…`` as it is."""
        if self.field.startswith("columns"):
            return self.field
        return f"plan.{self.field}" if self.field else "plan"


class Unanswerable(AnalyticsError):
    """A question, or a plan's result, that cannot be answered honestly from the data.

    ``not_understood`` lists the question's words the reader could not place (an app
    can underline them); ``choices`` what such a word could be, where the reader knows
    ("drinks": the columns avg_drinks and max_drinks); ``suggestions`` the complete
    plans of the nearest readings, each ``{"question", "plan",
    "interpretation_sentence"}``, for "Did you mean …?".
    """

    def __init__(
        self,
        message: str,
        *,
        not_understood: Sequence[str] = (),
        choices: Mapping[str, Sequence[str]] | None = None,
        suggestions: Sequence[dict[str, Any]] = (),
    ) -> None:
        super().__init__(message)
        self.not_understood = list(not_understood)
        self.choices = {k: list(v) for k, v in (choices or {}).items()}
        self.suggestions = list(suggestions)


class ValueNotHeld(Unanswerable):
    """A filter on a value its column does not hold (``sex = "F"`` where it holds Female
    and Male): refused, with the values it holds, rather than answered 0. A 422: the
    plan is well formed, the data cannot answer it."""

    def __init__(self, field: str, why: str) -> None:
        self.field = field
        self.why = why
        super().__init__(f"plan.{field}: {why}")


class UnknownDataset(AnalyticsError):
    """No dataset of that name in the caller's organization (another's is unknown too)."""


class UnknownConversation(AnalyticsError):
    """No conversation with that id for this caller (another user's is unknown too)."""
