#!/usr/bin/env python3
"""Independent reference for Dengao's report statistics (Sources/DengaoCore/Reports), written from the
definitions in docs/statistics.md with numpy, not from the Swift code.

    python3 Tests/reports/reference_statistics.py            # rewrites the fixture
    python3 Tests/reports/reference_statistics.py --check    # regenerates in memory, fails if the committed one differs

The fixture (Tests/DengaoCoreTests/Fixtures/report-statistics.json) holds seeded random response matrices (fixed
form, sparse random draws with different attempt lengths, heavy ties, degenerate ones) and every expected figure;
ReportStatisticsFixtureTests compares Swift's figures with it within 1e-9. Inputs come from Python's own
`random.Random` (its stream is stable across versions); --check compares floats within 1e-12 relative so a numpy
upgrade that moves a last bit does not fail it, while any real change does.
"""
import json
import math
import os
import random
import sys

import numpy as np

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "DengaoCoreTests", "Fixtures", "report-statistics.json")
CATEGORIES = ["党史", "党章党规党纪", "政治理论", "形势政策", "业务知识"]
BANDS = [["优秀", 90.0], ["良好", 75.0], ["合格", 60.0], ["待提高", 0.0]]


# ---------------------------------------------------------------- generation

def make_items(rng, count, first_id=1000):
    """Items of every kind: single choice (4 options), multiple (5), true/false, fill."""
    items = []
    for index in range(count):
        qid = first_id + index
        kind = index % 4
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        if kind == 0:
            items.append({"questionId": qid, "optionCount": 4, "key": [rng.randrange(4)], "isTrueFalse": False, "category": category})
        elif kind == 1:
            items.append({"questionId": qid, "optionCount": 5, "key": sorted(rng.sample(range(5), 2)), "isTrueFalse": False, "category": category})
        elif kind == 2:
            items.append({"questionId": qid, "optionCount": 2, "key": [rng.randrange(2)], "isTrueFalse": True, "category": category})
        else:
            items.append({"questionId": qid, "optionCount": 0, "key": [], "isTrueFalse": False, "category": category})
    return items


def make_response(rng, item, slot, ability, mark, time_pool):
    """A response whose correctness depends on the attempt's ability, so items discriminate."""
    answered = rng.random() > 0.06
    elapsed = rng.choice(time_pool) if answered and rng.random() > 0.1 else None
    chosen, truth, credit = [], None, 0.0
    if answered:
        correct = rng.random() < ability
        if item["isTrueFalse"]:
            truth_key = item["key"][0] == 0
            truth = truth_key if correct else (not truth_key)
            credit = 1.0 if correct else 0.0
        elif item["optionCount"] > 0 and len(item["key"]) == 1:
            if correct:
                chosen = list(item["key"])
            else:
                # A favourite distractor (option key+1) attracts most wrong answers.
                favourite = (item["key"][0] + 1) % item["optionCount"]
                chosen = [favourite if rng.random() < 0.6 else rng.randrange(item["optionCount"])]
            credit = 1.0 if chosen == item["key"] else 0.0
        elif item["optionCount"] > 0:
            if correct:
                chosen = list(item["key"])
                credit = 1.0
            else:
                chosen = sorted(rng.sample(range(item["optionCount"]), rng.randrange(1, 4)))
                credit = 0.5 if set(chosen) < set(item["key"]) else 0.0
        else:
            credit = 1.0 if correct else 0.0
    return [item["questionId"], slot, credit, mark, 1 if answered else 0, chosen, truth, elapsed]


def fixed_form_case(rng, name, attempts, questions, units):
    items = make_items(rng, questions)
    marks = [rng.choice([1.0, 1.0, 2.0]) for _ in items]
    rows = []
    for number in range(attempts):
        ability = rng.random() * 0.8 + 0.15
        responses = [make_response(rng, item, slot, ability, marks[slot], [1500, 2000, 2500, 4000, 7300])
                     for slot, item in enumerate(items)]
        rows.append([number + 1, 500 + number if number % 7 else None, rng.choice(units), responses])
    return {"name": name, "items": items, "attempts": rows}


def sparse_case(rng, name, attempts, bank, draw_low, draw_high, units):
    """Campaign tries: each draws a few bank questions at random; some questions are never or once drawn."""
    items = make_items(rng, bank, first_id=2000)
    rows = []
    for number in range(attempts):
        ability = rng.random() * 0.8 + 0.15
        drawn = rng.sample(items[:-2], rng.randrange(draw_low, draw_high + 1))  # the last two stay unseen
        responses = [make_response(rng, item, slot, ability, rng.choice([1.0, 2.0]), [800, 1200, 1200, 3100])
                     for slot, item in enumerate(drawn)]
        rows.append([number + 1, 900 + number, rng.choice(units), responses])
    if attempts:  # one question seen exactly once
        rows[0][3].append(make_response(rng, items[-1], len(rows[0][3]), 0.5, 1.0, [1000]))
    return {"name": name, "items": items, "attempts": rows}


def handmade_cases():
    """Degenerate matrices: one attempt, equal scores, an empty attempt, a zero-mark attempt, an unknown question."""
    tf = {"questionId": 1, "optionCount": 2, "key": [0], "isTrueFalse": True, "category": "党史"}
    single = {"questionId": 2, "optionCount": 3, "key": [2], "isTrueFalse": False, "category": "党史"}
    return [
        {"name": "one attempt", "items": [tf, single],
         "attempts": [[1, 1, 10, [[1, 0, 1.0, 1.0, 1, [], True, 900], [2, 1, 0.0, 1.0, 1, [0], None, 1100]]]]},
        {"name": "equal scores", "items": [tf, single],
         "attempts": [[n, n, 10 + n % 2, [[1, 0, 1.0, 1.0, 1, [], True, 500], [2, 1, 1.0, 1.0, 1, [2], None, 700]]] for n in range(1, 5)]},
        {"name": "empty and zero-mark attempts", "items": [tf, single],
         "attempts": [[1, None, 10, []], [2, None, 10, [[1, 0, 1.0, 0.0, 1, [], True, None]]],
                      [3, None, 11, [[1, 0, 1.0, 1.0, 1, [], True, None], [2, 1, 1.0, 1.0, 1, [2], None, None]]],
                      [4, None, 11, [[1, 0, 0.0, 1.0, 1, [], False, None], [2, 1, 0.0, 1.0, 0, [], None, None]]],
                      [5, None, 11, [[1, 0, 1.0, 1.0, 1, [], True, None], [2, 1, 0.0, 1.0, 1, [1], None, None],
                                     [77, 2, 1.0, 1.0, 1, [], None, None]]]]},
    ]


# ---------------------------------------------------------------- reference statistics


def is_constant(values):
    return len(values) == 0 or bool(np.all(values == values[0]))


def sample_var(values):
    """Variance with n − 1; exactly 0 for equal values."""
    return 0.0 if is_constant(values) else float(np.var(values, ddof=1))


def sample_cov(a, b):
    return 0.0 if is_constant(a) or is_constant(b) else float(np.cov(a, b, ddof=1)[0, 1])


def flatten(case):
    """One row per response of every attempt with a positive maximum: (item order, rows, attempt scores)."""
    items = {item["questionId"]: item for item in case["items"]}
    order = [item["questionId"] for item in case["items"]]
    rows, scores = [], []
    for attempt in case["attempts"]:
        responses = attempt[3]
        maximum = sum(r[3] for r in responses)
        if not maximum > 0:
            continue
        total = sum(min(1.0, max(0.0, r[2])) * r[3] for r in responses)
        score = 100 * total / maximum
        scores.append(score)
        for r in responses:
            if r[0] not in items:
                items[r[0]] = {"questionId": r[0], "optionCount": 0, "key": [], "isTrueFalse": False, "category": ""}
                order.append(r[0])
            credit = min(1.0, max(0.0, r[2]))
            mark = 100 * credit * r[3] / maximum
            rows.append({"q": r[0], "slot": r[1], "credit": credit, "mark": mark, "rest": score - mark, "score": score,
                         "weight": 100 * r[3] / maximum, "answered": bool(r[4]), "chosen": r[5], "truth": r[6],
                         "elapsed": r[7], "unit": attempt[2]})
    return items, order, rows, scores


def position_moments(rows):
    """Moodle's moments for a group of rows (one question or one slot)."""
    n = len(rows)
    x = np.array([r["mark"] for r in rows])
    y = np.array([r["rest"] for r in rows])
    total = np.array([r["score"] for r in rows])
    if n < 2:
        return {"count": n, "var": None, "cov_overall": None, "di": None, "de": None}
    vx, vy, cov = sample_var(x), sample_var(y), sample_cov(x, y)
    cov_overall = 0.0 if is_constant(x) else float(np.cov(x, total, ddof=1)[0, 1])
    covmax = 0.0
    if not is_constant(x) and not is_constant(y):
        covmax = float(np.sum((np.sort(x) - x.mean()) * (np.sort(y) - y.mean())) / (n - 1))
    di = 100 * cov / math.sqrt(vx * vy) if vx * vy != 0 else None
    de = 100 * cov / covmax if covmax != 0 else None
    return {"count": n, "var": vx, "cov_overall": cov_overall, "di": di, "de": de}


def effective_weights(moments):
    total = sum(math.sqrt(m["cov_overall"]) for m in moments if m["cov_overall"] is not None and m["cov_overall"] >= 0)
    return [100 * math.sqrt(m["cov_overall"]) / total
            if total > 0 and m["cov_overall"] is not None and m["cov_overall"] >= 0 else None for m in moments]


def options_of(item, rows):
    k = item["optionCount"]
    if k == 0:
        return []
    scores = np.array([r["score"] for r in rows])
    result = []
    for option in range(k):
        chosen = []
        for r in rows:
            picks = r["chosen"]
            if item["isTrueFalse"] and not picks and r["truth"] is not None:
                picks = [0 if r["truth"] else 1]
            chosen.append(1.0 if r["answered"] and option in picks else 0.0)
        chosen = np.array(chosen)
        count = int(chosen.sum())
        pb = None
        if 0 < count < len(rows) and not is_constant(scores):
            pb = float(np.corrcoef(chosen, scores)[0, 1])
        result.append({"option": option, "isKey": option in item["key"], "count": count,
                       "share": 100 * count / len(rows) if rows else 0.0, "pointBiserial": pb})
    return result


def random_guess(item):
    if item["isTrueFalse"]:
        return 50.0
    if item["optionCount"] == 0:
        return 0.0
    return 100 / item["optionCount"] if len(item["key"]) == 1 else None


def test_statistics(scores, slot_variance_sum, p):
    s = len(scores)
    a = np.array(scores, dtype=float)
    out = {"count": s, "mean": float(a.mean()) if s else None, "median": float(np.median(a)) if s else None,
           "standardDeviation": None, "skewness": None, "kurtosis": None, "cic": None, "errorRatio": None,
           "standardError": None, "slotCount": p}
    if s < 2:
        return out
    equal = is_constant(a)
    sd = 0.0 if equal else float(np.std(a, ddof=1))
    out["standardDeviation"] = sd
    if s < 3 or equal:
        return out
    m2 = float(np.mean((a - a.mean()) ** 2))
    m3 = float(np.mean((a - a.mean()) ** 3))
    m4 = float(np.mean((a - a.mean()) ** 4))
    # Fisher–Pearson adjusted forms G1, G2 (algebraically Moodle's k3/k2^1.5 and k4/k2²).
    out["skewness"] = math.sqrt(s * (s - 1)) / (s - 2) * m3 / m2 ** 1.5
    if s > 3:
        out["kurtosis"] = (s - 1) / ((s - 2) * (s - 3)) * ((s + 1) * (m4 / m2 ** 2 - 3) + 6)
    if p > 1:
        cic = 100 * p / (p - 1) * (1 - slot_variance_sum / (sd * sd))
        out["cic"] = cic
        if cic <= 100:
            out["errorRatio"] = 100 * math.sqrt(1 - cic / 100)
            out["standardError"] = out["errorRatio"] * sd / 100
    return out


def item_analysis(case):
    items, order, rows, scores = flatten(case)
    by_question = {q: [r for r in rows if r["q"] == q] for q in order}
    moments = [position_moments(by_question[q]) for q in order]
    weights = effective_weights(moments)
    questions = []
    for index, q in enumerate(order):
        group, item = by_question[q], items[q]
        credits = np.array([r["credit"] for r in group])
        times = [r["elapsed"] for r in group if r["answered"] and r["elapsed"] is not None]
        options = options_of(item, group)
        wrong = [o for o in options if not o["isKey"] and o["count"] > 0]
        most_wrong = None
        for o in wrong:  # first maximum: lowest index on a tie
            if most_wrong is None or o["count"] > options[most_wrong]["count"]:
                most_wrong = o["option"]
        facility = float(credits.mean()) * 100 if len(group) else None
        entry = {"questionId": q, "count": len(group), "answeredCount": sum(1 for r in group if r["answered"]),
                 "facilityIndex": facility,
                 "standardDeviation": math.sqrt(sample_var(credits)) * 100 if len(group) > 1 else None,
                 "randomGuessScore": random_guess(item),
                 "intendedWeight": float(np.mean([r["weight"] for r in group])) if group else None,
                 "effectiveWeight": weights[index], "discriminationIndex": moments[index]["di"],
                 "discriminativeEfficiency": moments[index]["de"],
                 "medianElapsedMilliseconds": float(np.median(times)) if times else None,
                 "options": options, "mostChosenWrongOption": most_wrong}
        flags = []
        if len(group) >= 5:
            if facility is not None and facility > 90:
                flags.append("tooEasy")
            if facility is not None and facility < 20:
                flags.append("tooHard")
            if entry["discriminativeEfficiency"] is not None and entry["discriminativeEfficiency"] < 15:
                flags.append("notDiscriminating")
            keys = [o["count"] for o in options if o["isKey"]]
            if keys and most_wrong is not None and options[most_wrong]["count"] > min(keys):
                flags.append("distractorOverKey")
        entry["flags"] = sorted(flags)
        questions.append(entry)
    slots = sorted({r["slot"] for r in rows})
    slot_moments = [position_moments([r for r in rows if r["slot"] == slot]) for slot in slots]
    slot_weights = effective_weights(slot_moments)
    slot_entries = [{"slot": slot, "count": m["count"], "markVariance": m["var"], "effectiveWeight": w,
                     "discriminationIndex": m["di"], "discriminativeEfficiency": m["de"]}
                    for slot, m, w in zip(slots, slot_moments, slot_weights)]
    variance_sum = sum(m["var"] for m in slot_moments if m["var"] is not None)
    return {"questions": questions, "slots": slot_entries, "test": test_statistics(scores, variance_sum, len(slots))}, scores


def summary(unit, values):
    a = np.array(values, dtype=float)
    return {"unitId": unit, "count": len(values), "mean": float(a.mean()) if values else None,
            "median": float(np.median(a)) if values else None,
            "standardDeviation": math.sqrt(sample_var(a)) if len(values) > 1 else None}


def groups(case, parents):
    values = [(a[2], v) for a, v in zip([a for a in case["attempts"] if sum(r[3] for r in a[3]) > 0], attempt_scores(case))]
    own = {}
    for unit, value in values:
        own.setdefault(unit, []).append(value)
    by_unit = [summary(u, own[u]) for u in sorted(own)]
    children = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    units = sorted(set(own) | set(parents) | set(parents.values()))

    def subtree(unit):
        found, stack = [], [unit]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(children.get(current, []))
        return found
    rolled = [summary(u, [v for member in subtree(u) for v in own.get(member, [])]) for u in units]
    return by_unit, rolled, own


def attempt_scores(case):
    return flatten(case)[3]


def ranks(values):
    """Competition ranks: one more than the number of strictly higher values."""
    return {unit: 1 + sum(1 for other in values.values() if other > value) for unit, value in values.items()}


def rank_table(current, previous):
    now, before = ranks(current), ranks(previous)
    rows = [{"unitId": u, "value": current[u], "rank": now[u], "previousRank": before.get(u),
             "change": before[u] - now[u] if u in before else None} for u in current]
    return sorted(rows, key=lambda row: (row["rank"], row["unitId"]))


def category_matrix(case, minimum):
    items, _, rows, _ = flatten(case)
    # The matrix counts every attempt's responses, including zero-mark attempts.
    known = {item["questionId"]: item["category"] for item in case["items"]}
    cells = {}
    for attempt in case["attempts"]:
        for r in attempt[3]:
            key = (attempt[2], known.get(r[0], ""))
            cells.setdefault(key, []).append(min(1.0, max(0.0, r[2])))
    organization = {}
    for (unit, category), credits in cells.items():
        organization.setdefault(category, []).extend(credits)
    org = {c: 100 * float(np.mean(v)) for c, v in organization.items()}
    out_cells, weakest = [], []
    for unit in sorted({u for u, _ in cells}):
        mine = []
        for category in sorted(c for u, c in cells if u == unit):
            credits = cells[(unit, category)]
            accuracy = 100 * float(np.mean(credits))
            mine.append({"unitId": unit, "category": category, "count": len(credits), "accuracy": accuracy,
                         "organizationAccuracy": org[category], "difference": accuracy - org[category]})
        out_cells += mine
        eligible = sorted((c for c in mine if c["count"] >= minimum), key=lambda c: (c["accuracy"], c["category"]))
        weakest.append({"unitId": unit, "categories": [c["category"] for c in eligible[:3]]})
    totals = [{"category": c, "count": len(organization[c]), "accuracy": org[c]} for c in sorted(organization)]
    return {"cells": out_cells, "organization": totals, "weakest": weakest}


def histogram(values, edges):
    counts = [0] * (len(edges) - 1)
    below = above = 0
    for v in values:
        if v < edges[0]:
            below += 1
        elif v > edges[-1]:
            above += 1
        else:
            index = int(np.searchsorted(edges, v, side="right")) - 1
            counts[min(index, len(counts) - 1)] += 1
    return {"edges": edges, "counts": counts, "below": below, "above": above}


def bands(values, bands):
    ordered = sorted(bands, key=lambda b: -b[1])
    counts = [0] * len(ordered)
    for v in values:
        for index, (_, lower) in enumerate(ordered):
            if v >= lower:
                counts[index] += 1
                break
    total = sum(counts)
    return [{"name": name, "lowerBound": lower, "count": c, "share": 100 * c / total if total else 0.0}
            for (name, lower), c in zip(ordered, counts)]


def build():
    rng = random.Random(20261206)
    cases = [fixed_form_case(rng, "fixed form 60 x 12", 60, 12, [10, 11, 12, 13]),
             fixed_form_case(rng, "fixed form 9 x 6", 9, 6, [10, 11]),
             sparse_case(rng, "sparse draws of 5 from 30", 150, 30, 5, 5, [10, 11, 12, 13, 14]),
             sparse_case(rng, "sparse draws of 3-6 from 20", 80, 20, 3, 6, [10, 12, 13])]
    cases += handmade_cases()
    parents = {"11": 10, "12": 10, "13": 12, "14": 13}
    for case in cases:
        expected, scores = item_analysis(case)
        by_unit, rolled, own = groups(case, {int(k): v for k, v in parents.items()})
        current = {u: round(float(np.mean(v)) / 5) * 5.0 for u, v in own.items()}  # rounded: ties
        previous = {u: float(rng.choice([40, 55, 55, 70])) for u in sorted(own)[:-1]}  # the last unit is new
        expected["groups"] = {"parents": parents, "byUnit": by_unit, "rolledUp": rolled}
        expected["ranks"] = {"current": {str(k): v for k, v in current.items()},
                             "previous": {str(k): v for k, v in previous.items()}, "rows": rank_table(current, previous)}
        expected["categories"] = category_matrix(case, 4)
        edges = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
        expected["histogram"] = histogram(scores, edges)
        expected["bands"] = bands(scores, BANDS)
        case["expected"] = expected
    return {"generator": "Tests/reports/reference_statistics.py", "categoryMinimumCount": 4, "bands": BANDS,
            "cases": cases}


def same(a, b, path="$"):
    """Structural equality with floats within 1e-12 relative; returns the first difference or None."""
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool) or isinstance(b, bool):
            return path
        return None if abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b)) else path
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return path + " keys"
        for key in a:
            difference = same(a[key], b[key], path + "." + key)
            if difference:
                return difference
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return path + " length"
        for index, (x, y) in enumerate(zip(a, b)):
            difference = same(x, y, "%s[%d]" % (path, index))
            if difference:
                return difference
        return None
    return None if a == b else path


def main():
    text = json.dumps(build(), ensure_ascii=False, separators=(",", ":"))
    if "--check" in sys.argv:
        with open(FIXTURE, encoding="utf-8") as file:
            committed = json.load(file)
        difference = same(json.loads(text), committed)
        if difference:
            print("report-statistics.json is not this script's output; first difference at " + difference)
            sys.exit(1)
        print("report-statistics.json matches the reference script (%d cases)" % len(committed["cases"]))
        return
    with open(FIXTURE, "w", encoding="utf-8") as file:
        file.write(text + "\n")
    print("wrote %s (%d bytes)" % (FIXTURE, len(text) + 1))


if __name__ == "__main__":
    main()
