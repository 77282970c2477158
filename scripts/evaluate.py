"""`make eval`: how well the trained model understands people, per language.

Prints, from the held-out files tests/nlu/<lang>.yml: per-language accuracy and macro-F1, per-label
F1, urgent_help recall per language, entity precision/recall; language identification accuracy by
message length (held-out files and UDHR snippets); urgent_help recall and false alarms on the
independent danger set tests/danger; and the false-accept rate on the public
out-of-domain sets in ../shared/eval-data (any label other than out_of_scope or nlu_fallback).
The public sets are read for evaluation only.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
from bot.nlu_data import danger_sets, examples_in  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval-data"
REJECT = {"out_of_scope", "nlu_fallback"}


def held_out() -> list[tuple[str, str, str, frozenset[tuple[str, str]]]]:
    """(language, text, label, {(entity, value)}) from tests/nlu."""
    return [(e.language, e.text, e.label, e.entities) for e in examples_in(ROOT / "tests" / "nlu")]


def danger_set() -> dict[str, dict[str, list[str]]]:
    """tests/danger/<lang>.yml: {lang: {"urgent": [...], "ordinary": [...]}}.

    Written independently of data/ and tests/nlu from a brief of the danger kinds
    (docs/evaluation.md, sixteenth round): longer stories, third persons, bare cries for help.
    """
    return danger_sets(ROOT / "tests" / "danger")


def out_of_domain() -> dict[str, list[str]]:
    sets: dict[str, list[str]] = defaultdict(list)
    clinc = EVAL / "clinc150" / "data_full.json"
    if clinc.exists():
        sets["clinc150 oos_test (en)"] = [t for t, _ in json.loads(clinc.read_text())["oos_test"]]
    mapped = EVAL / "clinc150" / "clinc150_test_mapped.tsv"
    if mapped.exists():
        with mapped.open(encoding="utf-8") as handle:
            sets["clinc150 in-domain intents, strict out_of_scope (en)"] = [
                r["text"]
                for r in csv.DictReader(handle, delimiter="\t")
                if r["expected_label"] == "out_of_scope" and r["mapping"] == "strict"
            ]
    for lang in ("ar", "nl", "tr", "en"):
        path = EVAL / "xsid-0.7" / f"{lang}.test.tsv"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                sets[f"xsid test ({lang})"] = [
                    r["text"] for r in csv.DictReader(handle, delimiter="\t")
                ]
    banking = EVAL / "banking77" / "test.csv"
    if banking.exists():
        with banking.open(encoding="utf-8") as handle:
            sets["banking77 test (en)"] = [r["text"] for r in csv.DictReader(handle)]
    for folder in sorted((EVAL / "snips-typos").glob("*")):
        if (folder / "seq.in").exists():
            sets[f"snips typos ({folder.name})"] = (folder / "seq.in").read_text().splitlines()
    return sets


def f1_by_label(pairs: list[tuple[str, str]]) -> dict[str, float]:
    labels = {g for g, _ in pairs}
    scores = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return scores


def bucket(words: int) -> str:
    return "1-2 words" if words <= 2 else "3-5 words" if words <= 5 else "6+ words"


def language_id_report(rows) -> None:
    from bot.language import LanguageIdentifier, word_count

    identifier = LanguageIdentifier()
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for lang, text, *_ in rows:
        key = (lang, bucket(word_count(text)))
        tally[key][0] += identifier.detect(text).code == lang
        tally[key][1] += 1
    udhr = EVAL / "udhr-lid" / "udhr_lid.tsv"
    udhr_tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    if udhr.exists():
        with udhr.open(encoding="utf-8") as handle:
            for r in csv.DictReader(handle, delimiter="\t"):
                if r["lang"] in identifier.languages:
                    key = (r["lang"], bucket(word_count(r["text"])))
                    udhr_tally[key][0] += identifier.detect(r["text"]).code == r["lang"]
                    udhr_tally[key][1] += 1
    print("\n## Language identification accuracy (held-out messages | UDHR snippets)")
    buckets = ["1-2 words", "3-5 words", "6+ words"]
    print(f"{'lang':5}" + "".join(f"{b:>22}" for b in buckets) + f"{'3+ words (both)':>18}")
    worst = 1.0
    for lang in sorted(identifier.languages):
        cells = []
        ok = total = 0
        for b in buckets:
            h, u = tally[(lang, b)], udhr_tally[(lang, b)]
            cells.append(f"{_pct(h):>10} | {_pct(u):>9}")
            if b != "1-2 words":
                ok += h[0] + u[0]
                total += h[1] + u[1]
        share = ok / total if total else 0.0
        worst = min(worst, share)
        print(f"{lang:5}" + "".join(f"{c:>22}" for c in cells) + f"{share:>17.1%}")
    print(f"lowest language-ID accuracy on 3+ words: {worst:.1%} (target >= 97%)")


def _pct(cell: list[int]) -> str:
    return f"{cell[0] / cell[1]:.0%} ({cell[1]})" if cell[1] else "-"


async def main() -> int:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa logs every parsed text at debug level; the report needs none of it.
    logging.getLogger().setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        print("no model: run `make train` first")
        return 1
    agent = Agent.load(str(model))
    rows = held_out()
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    raw_held_out: list[tuple[str, str, tuple[str, float]]] = []
    ent_tp = ent_fp = ent_fn = 0
    for lang, text, label, ents in rows:
        parsed = await agent.parse_message(text)
        guess = parsed["intent"]["name"]
        if guess == "nlu_fallback" and label == "out_of_scope":
            guess = "out_of_scope"  # both mean "not something I answer"
        by_lang[lang].append((label, guess))
        raw_held_out.append((lang, label, top_label(parsed)))
        got = {
            (e["entity"], str(e["value"]))
            for e in parsed.get("entities", [])
            if e["entity"] in ("country", "residence_status")
        }
        ent_tp += len(got & ents)
        ent_fp += len(got - ents)
        ent_fn += len(ents - got)

    print("## Intent classification on tests/nlu (held out)")
    print(f"{'lang':5} {'n':>5} {'accuracy':>9} {'macro-F1':>9} {'urgent recall':>14}")
    all_pairs: list[tuple[str, str]] = []
    worst_urgent = 1.0
    f1_of = {lang: f1_by_label(pairs) for lang, pairs in by_lang.items()}
    macro_of = {lang: sum(f1.values()) / len(f1) for lang, f1 in f1_of.items()}
    for lang in sorted(by_lang):
        pairs = by_lang[lang]
        all_pairs += pairs
        acc = sum(g == p for g, p in pairs) / len(pairs)
        macro = macro_of[lang]
        urgent = [p for g, p in pairs if g == "urgent_help"]
        recall = sum(p == "urgent_help" for p in urgent) / len(urgent) if urgent else 0.0
        worst_urgent = min(worst_urgent, recall)
        # Four decimals: a language at 0.8996 must not print as 0.900, the target.
        print(f"{lang:5} {len(pairs):5} {acc:9.3f} {macro:9.4f} {recall:14.3f}")
    total_acc = sum(g == p for g, p in all_pairs) / len(all_pairs)
    overall = f1_by_label(all_pairs)
    print(
        f"{'all':5} {len(all_pairs):5} {total_acc:9.3f} {sum(overall.values()) / len(overall):9.3f}"
    )
    at_target = sum(macro >= 0.90 for macro in macro_of.values())
    print(
        f"lowest per-language macro-F1: {min(macro_of.values()):.4f} (target >= 0.90; "
        f"{at_target} of {len(macro_of)} languages reach it); "
        f"lowest urgent_help recall: {worst_urgent:.3f} (target >= 0.95)"
    )
    print("\n## F1 per label (all languages)")
    for label, score in sorted(overall.items(), key=lambda kv: kv[1]):
        print(f"  {label:22} {score:.3f}")
    print("\n## Weakest labels of the languages below 0.90 (F1; most frequent wrong guess)")
    for lang in sorted(by_lang):
        if macro_of[lang] >= 0.90:
            continue
        f1 = f1_of[lang]
        weakest = sorted(f1.items(), key=lambda kv: kv[1])[:6]
        cells = []
        for label, score in weakest:
            wrong = Counter(p for g, p in by_lang[lang] if g == label and p != label)
            guess = f" -> {wrong.most_common(1)[0][0]}" if wrong else ""
            cells.append(f"{label} {score:.2f}{guess}")
        print(f"  {lang}: " + "; ".join(cells))
    precision = ent_tp / (ent_tp + ent_fp) if ent_tp + ent_fp else 0.0
    recall = ent_tp / (ent_tp + ent_fn) if ent_tp + ent_fn else 0.0
    print(
        f"\n## Entities (country, residence_status) on tests/nlu: precision {precision:.3f}, "
        f"recall {recall:.3f} ({ent_tp + ent_fn} annotated)"
    )

    await danger_report(agent)
    language_id_report(rows)

    print("\n## Out-of-domain false accepts (target <= 10%)")
    accepted = total = alarms = 0
    raw_ood: list[tuple[str, float]] = []
    taken_for: Counter[str] = Counter()
    for name, texts in out_of_domain().items():
        wrong = 0
        for text in texts:
            parsed = await agent.parse_message(text)
            raw_ood.append(top_label(parsed))
            label = parsed["intent"]["name"]
            alarms += label == "urgent_help"
            if label not in REJECT:
                wrong += 1
                taken_for[label] += 1
        accepted += wrong
        total += len(texts)
        print(f"  {name:55} {wrong / len(texts):6.1%} of {len(texts)}")
    if total:
        print(f"  {'all out-of-domain sets':55} {accepted / total:6.1%} of {total}")
        print(f"  urgent_help false alarms on out-of-domain sets: {alarms / total:.1%}")
        # Which labels absorb them says what out-of-scope data the next round needs.
        if accepted:
            shares = ", ".join(
                f"{label} {count / accepted:.0%}" for label, count in taken_for.most_common(6)
            )
            print(f"  false accepts taken for: {shares}")
        threshold_curve(raw_held_out, raw_ood)
    return 0


async def danger_report(agent) -> None:
    print("\n## urgent_help on tests/danger (written independently; urgent / near-danger ordinary)")
    print(f"{'lang':5} {'urgent recall':>14} {'false alarms':>13}")
    caught = urgent = alarms = ordinary = 0
    for lang, sets in danger_set().items():
        hits = [(await agent.parse_message(t))["intent"]["name"] for t in sets["urgent"]]
        false = [(await agent.parse_message(t))["intent"]["name"] for t in sets["ordinary"]]
        got = sum(h == "urgent_help" for h in hits)
        raised = sum(f == "urgent_help" for f in false)
        caught, urgent = caught + got, urgent + len(hits)
        alarms, ordinary = alarms + raised, ordinary + len(false)
        print(f"{lang:5} {got:>6}/{len(hits):<3} {got / len(hits):.2f} {raised:>6}/{len(false):<3}")
    if urgent:
        print(
            f"{'all':5} {caught:>6}/{urgent:<3} {caught / urgent:.2f} {alarms:>6}/{ordinary:<3}"
        )


def top_label(parsed: dict) -> tuple[str, float]:
    """The classifier's own best label and confidence, before the fallback threshold."""
    ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
    if not ranking:
        return parsed["intent"]["name"], float(parsed["intent"].get("confidence") or 0.0)
    return ranking[0]["name"], float(ranking[0]["confidence"])


def threshold_curve(held: list[tuple[str, str, tuple[str, float]]], ood: list[tuple[str, float]]):
    """What each fallback threshold would give: the trade-off behind config.yml's choice."""
    print("\n## Fallback threshold: held-out quality against out-of-domain false accepts")
    print(f"{'threshold':>9} {'accuracy':>9} {'min macro-F1':>13} {'ood accepted':>13}")
    for threshold in (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for lang, label, (name, confidence) in held:
            guess = name if confidence >= threshold else "nlu_fallback"
            if guess == "nlu_fallback" and label == "out_of_scope":
                guess = "out_of_scope"  # a fallback on an out-of-scope message is right
            by_lang[lang].append((label, guess))
        pairs = [p for v in by_lang.values() for p in v]
        accuracy = sum(g == p for g, p in pairs) / len(pairs)
        scores = [f1_by_label(v) for v in by_lang.values()]
        worst = min(sum(f.values()) / len(f) for f in scores)
        accepted = sum(1 for name, c in ood if c >= threshold and name not in REJECT) / max(
            1, len(ood)
        )
        print(f"{threshold:9.2f} {accuracy:9.3f} {worst:13.3f} {accepted:13.1%}")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
