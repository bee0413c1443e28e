"""Terminal output of `cdp explain` and `cdp evaluate identity`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cdp.identity import explain as ex
from cdp.identity import phones
from cdp.identity.blocking import CANDIDATES, Blocking
from cdp.identity.evaluate import IdentityScores
from cdp.summary import table
from cdp.warehouse.schemas import INTERMEDIATE, MARTS


def _step(link: ex.Link, locations: dict, matches: dict) -> str:
    if link.link_type != "record":
        match = matches.get(frozenset((link.key_a, link.key_b)))
        return f"[dim]{escape(_match(link, match))}[/]"
    where = locations.get((link.source_table, link.record_key))
    origin = f"{where[0]}:{where[1]}" if where else link.record_key
    return f"[dim]{link.records:,} record(s), first {link.source_table} {origin}[/]"


def _match(link: ex.Link, match: ex.Match | None) -> str:
    """`probabilistic match p=0.9991 (weight +10.20, rule dob_initials): first_name exact
    +7.41, ...`: the evidence names comparisons and levels, never the values compared."""
    probability = "" if link.match_probability is None else f" p={link.match_probability:.4f}"
    about = f" (weight {match.match_weight:+.2f}, rule {match.blocking_rule})" if match else ""
    evidence = ", ".join(part.strip() for part in (link.match_evidence or "").split(";"))
    return f"{link.link_type} match{probability}{about}" + (f": {evidence}" if evidence else "")


def print_path(console: Console, start: str, path: list[ex.Link], locations: dict,
               matches: dict) -> None:
    """One line per link: `a  ─ evidence ─  b`, from `start` to the path's end."""
    key = start
    console.print(f"[bold]{start}[/] → [bold]{_end(start, path)}[/]")
    for link in path:
        other = link.other(key)
        console.print(f"    {key}  ─ {_step(link, locations, matches)} ─  {other}")
        key = other


def _end(start: str, path: list[ex.Link]) -> str:
    key = start
    for link in path:
        key = link.other(key)
    return key


def print_explanation(console: Console, text: str, id_type: str | None,
                      to_text: str | None) -> bool:
    """Print the explanation; False when the identifier is unknown."""
    found = ex.find_identifiers(text, id_type)
    if not found:
        console.print(f"[yellow]no identifier matches {text!r}[/]")
        return False
    for start in found:
        console.rule(f"{start.key}")
        if start.id_type == "phone" and start.value not in ex.candidate_values(text):
            countries = ", ".join(phones.countries_reading(text, start.value))
            console.print(f"{text!r} read as a national number of {countries} (the default"
                          f" country, var cdp_default_phone_country, is"
                          f" {phones.default_country()})", markup=False)
        if start.person_id is None:
            console.print(f"[red]{start.status}[/]: never used for matching")
            continue
        identifiers = ex.person_identifiers(start.person_id)
        console.print(f"person [bold]{start.person_id}[/] with {len(identifiers)} identifier(s)")
        table = Table("identifier", "status", "records", "first seen", "last seen")
        for item in identifiers:
            table.add_row(item.key, item.status, f"{item.records:,}",
                          f"{item.first_seen_at:%Y-%m-%d}", f"{item.last_seen_at:%Y-%m-%d}")
        console.print(table)
        paths = ex.shortest_paths(ex.person_links(start.person_id), start.key)
        targets = [i.key for i in identifiers if i.key != start.key]
        if to_text:
            wanted = {i.key for i in ex.find_identifiers(to_text)}
            targets = [key for key in targets if key in wanted]
            if not targets:
                console.print(f"[yellow]{to_text!r} is not an identifier of this person[/]")
        console.print("how they are linked:")
        shown = [paths.get(target, []) for target in targets]
        links = [link for path in shown for link in path]
        locations, matches = ex.record_locations(links), ex.link_matches(links)
        for path in shown:
            print_path(console, start.key, path, locations, matches)
    return True


def print_scores(console: Console, scores: IdentityScores) -> None:
    persons = scores.resolved_persons - scores.unresolved_records
    metrics = [
        ("records", scores.records, "clean records identity resolution reads, with their truth"),
        ("unresolved records", scores.unresolved_records,
         "records with only blocked identifiers: no person, each scored as its own"),
        ("true persons", scores.true_persons, _true_persons(scores)),
        ("resolved persons", scores.resolved_persons,
         f"{persons:,} person ids holding these records + {scores.unresolved_records:,}"
         " unresolved records" + (f" ({MARTS}.dim_customers: {scores.census.golden_records:,}"
                                  " golden records)" if scores.census else "")),
        ("precision", f"{scores.precision:.5f}",
         "share of the record pairs given one person that are one true person"),
        ("recall", f"{scores.recall:.5f}",
         "share of the record pairs of one true person that were given one person"),
        ("F1", f"{scores.f1:.5f}", "harmonic mean of precision and recall"),
    ]
    result = table("identity resolution vs ground truth (pairwise)",
                   ["metric", "value", "what is counted"], metrics)
    result.columns[2].justify = "left"
    console.print(result)
    print_without_probabilistic(console, scores)
    print_blocking(console, scores.blocking)
    console.print(table("worst over-merged persons",
                        ["resolved person", "true persons", "records"], scores.over_merged))
    console.print(table("worst split persons",
                        ["true person", "resolved persons", "records"], scores.split))


def print_without_probabilistic(console: Console, scores: IdentityScores) -> None:
    """Today's figures beside those of the persons the record links alone would give."""
    without = scores.without_probabilistic or scores
    rows = [(label, part.resolved_persons, f"{part.precision:.5f}", f"{part.recall:.5f}",
             f"{part.f1:.5f}") for label, part in (("all links", scores),
                                                     ("record links only", without))]
    console.print(table("with and without probabilistic links (pairwise)",
                        ["persons from", "resolved persons", "precision", "recall", "F1"], rows))
    if not scores.probabilistic_links:
        console.print("no probabilistic link: the figures without them are the same")
    else:
        console.print(f"{scores.probabilistic_links:,} probabilistic link(s); record links"
                      f" alone give {without.resolved_persons - scores.resolved_persons:,}"
                      " more person(s)")


def print_blocking(console: Console, blocking: Blocking | None) -> None:
    """Blocking recall, each rule's figures, and a warning per rule that skipped blocks."""
    if blocking is None:
        console.print(f"blocking recall: no {INTERMEDIATE}.{CANDIDATES} (built without"
                      " probabilistic matching)")
        return
    console.print(f"blocking recall [bold]{blocking.recall:.5f}[/]: {blocking.found:,} of"
                  f" {blocking.true_pairs:,} true pairs of CRM contacts are among the"
                  f" {blocking.candidate_pairs:,} candidate pairs")
    share = blocking.true_pairs or 1
    rows = [(rule.name, rule.keys, rule.candidate_pairs, rule.new_pairs, rule.skipped_blocks,
             rule.true_pairs_first_found, f"{rule.true_pairs_first_found / share:.5f}",
             rule.matches, rule.only_matches)
            for rule in blocking.rules]
    rules = table("blocking rules, in order", [
        "rule", "keys", "candidate pairs", "new pairs", "skipped blocks",
        "true pairs found first", "share of true pairs", "matches", "matches only it found"],
        rows)
    rules.columns[1].justify = "left"
    console.print(rules)
    for rule in blocking.rules:
        if rule.skipped_blocks:
            console.print(f"[yellow]warning:[/] rule {escape(rule.name)} skipped"
                          f" {rule.skipped_blocks:,} block(s) over the size cap"
                          f" ({rule.skipped_records:,} records): their pairs were never"
                          " candidates of this rule")


def _true_persons(scores: IdentityScores) -> str:
    census = scores.census
    if census is None or census.generated is None:
        return "generated persons with at least one of these records"
    other = census.with_rows - census.only_rejected - scores.true_persons
    return (f"generated persons with one of these records; of {census.generated:,} generated,"
            f" {census.generated - census.with_rows:,} left no row in any export and"
            f" {census.only_rejected:,} only rows staging rejects"
            + (f", {other:,} only rows identity resolution does not read" if other else ""))
