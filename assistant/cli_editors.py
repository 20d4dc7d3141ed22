"""`vixshield report gaps` and `vixshield answers add|list|remove`: the editors' loop from a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.settings import get_settings


@click.group()
def report() -> None:
    """Reports for the knowledge-base editors."""


@report.command("gaps")
@click.option("--since", default=None, help="Only questions asked on or after this date (YYYY-MM-DD)")
@click.option("--json", "as_json", is_flag=True, help='Print {"groups": [{label, count, questions, nearest_article}]}')
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write the report to this file instead of stdout")
def report_gaps(since: str | None, as_json: bool, out: Path | None) -> None:
    """Questions the assistant could not answer (not covered, or rated thumbs-down), grouped by meaning."""
    from assistant.gaps import GapReport, check_since, render_text
    from assistant.store import create_store

    since = check_since(since)
    settings = get_settings()
    store = create_store(settings)
    store.open()
    try:
        result = GapReport(settings, store=store).run(since)
    finally:
        store.close()
    text = json.dumps(result, indent=2, ensure_ascii=False) if as_json else render_text(result)
    if out is None:
        click.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    click.echo(f"wrote {len(result['groups'])} group(s) to {out}", err=True)


@click.group()
def answers() -> None:
    """Curated answers (corpus/answers/<id>.md): the editors' own answers to questions."""


def _answers():
    from assistant.answers import CuratedAnswers

    return CuratedAnswers(get_settings()).load()


@answers.command("add")
@click.option("--question", "-q", required=True, help="The question the answer is for")
@click.option("--answer", "-a", "answer_text", default=None, help="The answer (Markdown); or --file")
@click.option("--file", "answer_file", type=click.File("r", encoding="utf-8"), default=None, help="Read the answer from this file ('-' for stdin)")
@click.option("--alias", "aliases", multiple=True, help="Another phrasing of the question (repeatable)")
def answers_add(question: str, answer_text: str | None, answer_file, aliases: tuple[str, ...]) -> None:
    """Write a curated answer; the next question close to it is answered from it."""
    from assistant.errors import InvalidInput

    if (answer_text is None) == (answer_file is None):
        raise InvalidInput("give the answer with --answer TEXT or --file PATH (one of them)")
    text = answer_text if answer_text is not None else answer_file.read()
    item = _answers().add(question, text, list(aliases))
    click.echo(f"added answer:{item.id} ({get_settings().corpus_dir / 'answers' / (item.id + '.md')})")
    click.echo("a running server matches it at once (or after `vixshield serve` restarts / POST /v1/admin/reindex)", err=True)


@answers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON")
def answers_list(as_json: bool) -> None:
    """List the curated answers."""
    items = _answers().list()
    if as_json:
        click.echo(json.dumps([a.to_dict() for a in items], indent=2, ensure_ascii=False))
        return
    if not items:
        click.echo("no curated answers yet (vixshield answers add --question ... --answer ...)")
    for a in items:
        aliases = f"  (+{len(a.aliases)} alias{'es' if len(a.aliases) != 1 else ''})" if a.aliases else ""
        click.echo(f"{a.id}: {a.question}{aliases}")


@answers.command("remove")
@click.argument("answer_id")
def answers_remove(answer_id: str) -> None:
    """Delete a curated answer by id."""
    item = _answers().remove(answer_id)
    click.echo(f"removed answer:{item.id}")


__all__ = ["answers", "report"]
