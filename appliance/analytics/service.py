"""Answering a question or a plan about an organization's data: the one entry point.

``prepare`` does everything that can refuse (find the dataset, read the question or
check the plan, apply a follow-up to the conversation's last plan), so the HTTP layer
can answer a refusal as plain JSON before any event stream opens; ``execute`` runs
the plan and shapes the analysis. Both take the organization id from the caller's
credential: datasets are looked up in that organization's tree only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from appliance.analytics import (
    answers,
    conversations,
    datasets,
    dictionary,
    disclosure,
    engine,
    follow_up_changes,
    lexicon,
    plan,
    plan_fields,
    reader,
    rescaling,
    suggestions,
    survival_plans,
    time_to_event,
    units,
)
from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import PlanError, Unanswerable, UnknownDataset, ValueNotHeld
from appliance.analytics.reader.vocabulary import vocabulary_for
from appliance.context import Appliance
from appliance.ids import new_id


@dataclass
class Prepared:
    query_id: str
    question: str | None
    dataset: Dataset
    plan: plan.Plan
    interpretation: list[dict[str, str]]
    caveats: list[str] = field(default_factory=list)
    conversation_id: str | None = None

    def head(self, kept: int | str | None = None) -> dict[str, Any]:
        """The answer's first fields; ``kept`` (rows meeting the filters, known once the
        plan has run) completes the interpretation's sentence with its counts."""
        return {
            "query_id": self.query_id,
            "conversation_id": self.conversation_id,
            "question": self.question,
            "dataset": self.dataset.name,
            "interpretation": self.interpretation,
            "interpretation_sentence": answers.interpretation(self.plan, self.dataset, kept),
            "plan": self.plan.to_json(),
        }


def list_datasets(appliance: Appliance, org_id: str) -> list[Dataset]:
    found = datasets.sync(appliance, org_id)
    dictionaries = dictionary.load_all(appliance.db, org_id)
    for d in found:
        d.dictionary = dictionaries.get(d.file_id, {})
        d.survival_pairs = [p.to_json() for p in time_to_event.pairs(d)]
    return found


def get_dataset(appliance: Appliance, org_id: str, name: str) -> Dataset:
    found = datasets.find(list_datasets(appliance, org_id), name)
    if found is None:
        raise UnknownDataset(name)
    return found


def _ready(ds: Dataset) -> Dataset:
    if ds.status == "importing":
        raise Unanswerable(f"dataset {ds.name} is still being imported; ask again in a moment")
    if ds.error:
        raise Unanswerable(f"dataset {ds.name} could not be read: {ds.error}")
    return ds


def set_dictionary(appliance: Appliance, org_id: str, name: str, body: Any) -> Dataset:
    ds = get_dataset(appliance, org_id, name)
    if ds.status == "importing":
        raise PlanError("columns", f"dataset {ds.name} is still being imported; try again soon")
    ds.dictionary = dictionary.save(
        appliance.db, org_id, ds.file_id, body, [c.name for c in ds.columns]
    )
    ds.survival_pairs = [p.to_json() for p in time_to_event.pairs(ds)]
    return ds


def prepare(
    appliance: Appliance,
    org_id: str,
    owner: str,
    question: str | None,
    plan_json: Any,
    dataset_name: str | None,
    conversation_id: str | None,
) -> Prepared:
    found = list_datasets(appliance, org_id)
    previous = (
        conversations.load(appliance.db, org_id, owner, conversation_id)
        if conversation_id
        else None
    )
    if plan_json is not None:
        name = dataset_name or (plan_json.get("dataset") if isinstance(plan_json, dict) else None)
        if not name:
            raise PlanError("dataset", "name the dataset the plan is about")
        ds = datasets.find(found, name)
        if ds is None:
            raise UnknownDataset(name)
        _ready(ds)  # an importing dataset is 422, as it is for a question
        plan_json = survival_plans.complete(plan_json, ds)
        checked = plan.from_json({**plan_json, "dataset": ds.name}, ds.infos)
        return Prepared(new_id("qry"), None, ds, checked, [], [], conversation_id)
    assert question is not None
    if previous is not None:
        assert conversation_id is not None
        ds = datasets.find(found, dataset_name or previous.plan["dataset"])
        if ds is None:
            raise UnknownDataset(dataset_name or previous.plan["dataset"])
        _ready(ds)
        with _as_question(), _remembered(appliance, org_id, owner, conversation_id):
            reading = reader.read(question, ds, follow_up=True, answered=previous.answered)
            checked = _follow(reading, previous.plan, ds)
        return Prepared(
            new_id("qry"),
            question,
            ds,
            checked,
            reading.interpretation,
            reading.caveats,
            conversation_id,
        )
    with _as_question():
        ds, reading = _choose(question, found, dataset_name)
        assert reading.plan is not None
        checked = plan.from_json(reading.plan.to_json(), ds.infos)
    return Prepared(
        new_id("qry"),
        question,
        ds,
        checked,
        reading.interpretation,
        reading.caveats,
        None,
    )


def execute(
    appliance: Appliance,
    org_id: str,
    owner: str,
    prepared: Prepared,
    *,
    policy: disclosure.Policy,
) -> dict[str, Any]:
    """Run the plan and shape the analysis; what the caller may not see (``policy``,
    analytics/disclosure.py) is withheld between the two."""
    if prepared.conversation_id is not None:
        with _remembered(appliance, org_id, owner, prepared.conversation_id):
            result = engine.run(prepared.plan, prepared.dataset)
    else:
        result = engine.run(prepared.plan, prepared.dataset)
    controlled = disclosure.control(prepared.plan, prepared.dataset, result, policy)
    prepared.conversation_id = conversations.save(
        appliance.db,
        org_id,
        owner,
        prepared.conversation_id,
        prepared.plan.to_json(),
    )
    censored = survival_plans.plain_caveat(prepared.plan, prepared.dataset)
    caveats = list(dict.fromkeys([*prepared.caveats, *result.caveats, *filter(None, [censored])]))
    return prepared.head(_kept(result.kept, policy)) | {
        "sql": result.sql,
        "columns": result.columns,
        "rows": result.rows,
        "row_count": len(result.rows),
        "truncated": result.truncated,
        "answer": result.answer,
        "summary": answers.summary(prepared.plan, prepared.dataset, controlled.shown),
        "chart": result.chart,
        "caveats": caveats,
        "suppressed": controlled.suppressed,
    }


def plot(prepared: Prepared, policy: disclosure.Policy) -> str:
    """The Kaplan-Meier picture (SVG) of a prepared survival question or plan: its
    curve, by its groups, over its rows, under the same disclosure control as its
    answer, its times in the plan's unit where it asks for one. It leaves the
    conversation as it was (a picture is another view of an answer, not a new question
    to build on)."""
    curve = survival_plans.picture_plan(prepared.plan)
    by = rescaling.factor(prepared.plan, prepared.dataset)
    result = engine.run(curve, prepared.dataset)
    controlled = disclosure.control(curve, prepared.dataset, result, policy)
    if controlled.suppressed:  # survival needs the scope rows: refused before, by admit
        raise Unanswerable("disclosure control withholds part of this curve: not drawn")
    said = curve.with_(unit=prepared.plan.unit)  # the sentence says the unit asked
    title = answers.interpretation(said, prepared.dataset, _kept(result.kept, policy))
    return survival_plans.picture(result, said, prepared.dataset, by, title)


def _kept(kept: int | None, policy: disclosure.Policy) -> int | str | None:
    """The interpretation's count of rows kept, held to the small-count rule: from 1 to
    k-1 it says "fewer than k" (it is the count of the rows the filters name)."""
    if kept is not None and policy.active and 0 < kept < policy.k:
        return f"fewer than {policy.k}"
    return kept


def admit(
    appliance: Appliance, org_id: str, owner: str, prepared: Prepared, policy: disclosure.Policy
) -> None:
    """Disclosure control's refusals before anything runs (analytics/disclosure.py),
    remembered in the conversation like any refusal: a later "those" must not point past
    a refused question at the answer before it."""
    if not policy.active:
        return
    plan, ds = prepared.plan, prepared.dataset
    if prepared.conversation_id is None:
        disclosure.admit(plan, ds, policy, appliance.db, org_id)
        return
    with _remembered(appliance, org_id, owner, prepared.conversation_id):
        disclosure.admit(plan, ds, policy, appliance.db, org_id)


@contextmanager
def _remembered(
    appliance: Appliance, org_id: str, owner: str, conversation_id: str
) -> Iterator[None]:
    """A refused question is remembered in its conversation: a later "those" would
    otherwise point past it, at the answer before."""
    try:
        yield
    except (Unanswerable, PlanError, disclosure.RecordLevel):
        conversations.mark_unanswered(appliance.db, org_id, owner, conversation_id)
        raise


@contextmanager
def _as_question() -> Iterator[None]:
    """A plan the reader built that breaks a rule is the question's fault: 422, not 400.

    So is a number too large for a float ("for age 1000…0" with 400 digits), wherever
    the reading turns it into one."""
    try:
        yield
    except (PlanError, ValueNotHeld) as exc:
        raise Unanswerable(exc.why) from None
    except OverflowError:
        raise Unanswerable("a number in the question is too large to compute with") from None


def _choose(
    question: str, found: list[Dataset], name: str | None
) -> tuple[Dataset, reader.Reading]:
    """The dataset the question is about: the named one, or the only one that fits."""
    if name is not None:
        ds = datasets.find(found, name)
        if ds is None:
            raise UnknownDataset(name)
        return ds, _read(question, ds)
    usable = [d for d in found if d.status == "ready"]
    if not usable:
        if any(d.status == "importing" for d in found):
            raise Unanswerable("the datasets are still being imported; ask again in a moment")
        raise Unanswerable("this organization has no datasets yet: upload a CSV or TSV file")
    readings: list[tuple[Dataset, reader.Reading]] = []
    errors: list[tuple[Dataset, Unanswerable]] = []
    for d in usable:
        try:
            readings.append((d, _read(question, d)))
        except Unanswerable as exc:
            errors.append((d, exc))
    if len(readings) == 1:
        return readings[0]
    if not readings:
        if len(errors) == 1:
            raise errors[0][1]
        named = ", ".join(d.name for d in usable)
        best = min(errors, key=lambda e: str(e[1]).count("'"))
        raise Unanswerable(
            f"no dataset could answer it ({named}); for {best[0].name}: {best[1]}",
            not_understood=best[1].not_understood,
            suggestions=best[1].suggestions,
        )
    mentioned = [r for r in readings if r[1].mentions_dataset]
    if len(mentioned) == 1:
        return mentioned[0]
    top = max(r[1].score for r in readings)
    best_readings = [r for r in readings if r[1].score == top]
    if len(best_readings) == 1:
        return best_readings[0]
    raise Unanswerable(
        "several datasets could answer this ("
        + ", ".join(d.name for d, _r in best_readings)
        + '): send "dataset" to choose one'
    )


def _read(question: str, ds: Dataset) -> reader.Reading:
    try:
        reading = reader.read(question, _ready(ds))
    except Unanswerable as exc:
        if exc.not_understood and not exc.suggestions:
            exc.suggestions = _suggestions(question, ds, exc.not_understood, exc.choices)
        raise
    if reading.plan is None:
        raise Unanswerable("what should be computed? ask for a count, mean, median, percentage …")
    return reading


def _suggestions(
    question: str, ds: Dataset, words: list[str], choices: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The nearest complete readings of a refused question (see suggestions)."""
    return suggestions.suggest(question, ds, words, reader.read, _spellings(ds), choices)


def _spellings(ds: Dataset) -> set[str]:
    """Words a misspelt word may be read as: the dataset's own (its columns, labels,
    synonyms and values) and the statistics' — never another filler word or a month,
    which would leave the word out in disguise ("care" as "are", "dept" as "sept"). The
    dataset's words come from its kept vocabulary, the one its questions are read with."""
    words = {w for p in lexicon.STATISTICS for w in p.split()}
    words |= set(lexicon.SUPERLATIVES) | set(lexicon.COMPARATIVES)
    words -= lexicon.FILLER | set(lexicon.MONTHS)
    return words | {d.word for d in vocabulary_for(ds).data_words}


def _follow(reading: reader.Reading, previous: dict[str, Any], ds: Dataset) -> plan.Plan:
    """A follow-up's changes applied to the conversation's last answered plan, which the
    caveats name (so an answer never silently builds on a question the caller forgot)."""
    if reading.plan is None or reading.continues:
        reading.caveats.append("following on from: " + _sentence(previous, ds))
    if reading.plan is not None:
        new = reading.plan.to_json()
        kept = [
            f
            for f in previous.get("filters", [])
            if f["column"] not in {g["column"] for g in new.get("filters", [])}
        ]
        if reading.continues and kept and new.get("statistic") not in ("difference",):
            # "and the mean bmi?": the same rows as before, another statistic
            new["filters"] = kept + new.get("filters", [])
            carried = plan.from_json({"statistic": "count", "filters": kept}, ds.infos).filters
            reading.caveats.append(
                "kept from the previous question: " + " and ".join(f.describe() for f in carried)
            )
        return plan.from_json(new, ds.infos)
    base = dict(previous)
    change = reading.fragment
    if change.get("extreme_of"):  # "and the shortest?": the previous column's other end
        stat = _extreme(base, change["extreme_of"], change["statistic"][0])
        change = change | {"statistic": (stat, None)}
    if change.get("statistic"):
        stat, percentile = change["statistic"]
        follow_up_changes.check_statistic(base, stat, ds)  # "n?" after a mean: which n?
        base["statistic"] = stat
        if percentile is not None or isinstance(base.get("percentile"), list):
            base["percentile"] = percentile  # two percentiles were a difference's

    given = [f.to_json() for f in change.get("filters", [])]
    if base.get("predictors") and change.get("said_for"):
        # "odds ratio of death for smokers", then "and for diabetes?"
        raise Unanswerable(
            f"'for' {change['said_for'][0]} after a model: as its predictor instead, or the"
            " same model over only those rows? ask it in full"
        )
    new_filters = _onto_condition(base, given)
    if new_filters:
        replaced = {f["column"] for f in new_filters}
        kept = [f for f in base.get("filters", []) if f["column"] not in replaced]
        base["filters"] = kept + new_filters
    if change.get("group_by"):
        base["group_by"] = [g.to_json() for g in change["group_by"]]
    if change.get("order"):
        base["order"] = change["order"]
    if change.get("column"):  # "and bmi?" after "mean sbp"
        follow_up_changes.column_instead(base, change["column"])
    if change.get("other_rows"):  # "and those who didn't?"
        reading.caveats.append(follow_up_changes.other_rows(base, ds, change["other_rows"]))
    if change.get("whole"):  # "and overall?", "what about everyone?"
        reading.caveats.append(follow_up_changes.whole(base, change["whole"]))
    changes = ("statistic", "group_by", "column", "other_rows", "whole")
    if not (given or any(change.get(name) for name in changes)):
        raise Unanswerable("this follow-up changes nothing in the previous question")
    if base.get("unit"):  # "what about the median?" after "… in months"
        of = base.get("of") if base["statistic"] == "difference" else base["statistic"]
        if of in units.LINEAR:
            reading.caveats.append(f"still in {units.name(base['unit'])}, as the previous answer")
        else:  # a count has no unit
            del base["unit"]
    for name in plan_fields.unread(base):  # "what about the mean?" after the 90th percentile
        del base[name]
    return plan.from_json(base, ds.infos)


def _onto_condition(base: dict[str, Any], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "% of grade 3 patients with status 1", then "what about status 2": a value of the
    column the previous percentage counted replaces what it counts (the share with
    status 2), never a filter beside it (status 1 among status 2 is 0 by construction).
    Of another statistic's condition (a logistic outcome, a survival event), or of a
    column both filtered and counted, the two readings differ: refused naming both.
    Returns the follow-up's filters left for the rows."""
    counted = {c["column"] for c in base.get("condition", [])}
    onto = [f for f in new if f["column"] in counted]
    if not onto:
        return new
    filtered = {f["column"] for f in base.get("filters", [])}
    column = onto[0]["column"]
    if base.get("statistic") != "percentage" or column in filtered:
        raise Unanswerable(
            f"{column} is what the previous answer counted: say whether the follow-up"
            f" changes what is counted or keeps only those rows (ask it in full)"
        )
    base["condition"] = [c for c in base["condition"] if c["column"] not in counted] + onto
    return [f for f in new if f["column"] not in counted]


def _extreme(base: dict[str, Any], columns: list[str], stat: str) -> str:
    """The statistic a lone superlative (``stat``: min or max) makes of the previous plan:
    its minimum or maximum, or its ranking from that end; only where that plan is one, of
    a column the superlative may be about (else another column's extreme is answered)."""
    if base.get("statistic") not in ("min", "max", "top", "bottom") or (
        base.get("column") not in columns
    ):
        raise Unanswerable(
            "a superlative alone follows a minimum, maximum or ranking of "
            + " or ".join(columns)
            + ": ask for it in full"
        )
    if base["statistic"] in ("top", "bottom"):
        return "bottom" if stat == "min" else "top"
    return stat


def _sentence(previous: dict[str, Any], ds: Dataset) -> str:
    """ "the count of rows in cohort where age > 55": a plan as a caveat names it."""
    try:
        p = plan.from_json(previous, ds.infos)
    except (PlanError, ValueNotHeld):  # a plan of another dataset: named by what it computed
        return f"the previous answer ({previous.get('statistic')} in {previous.get('dataset')})"
    where = " where " + " and ".join(f.describe() for f in p.filters) if p.filters else ""
    by = " by " + " and ".join(g.column for g in p.group_by) if p.group_by else ""
    return f"the {engine.describe(p)} in {p.dataset}{where}{by}"
