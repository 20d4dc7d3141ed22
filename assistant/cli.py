"""The `vixshield` command line: one click group whose subcommands read like sentences.

Heavy imports (torch, faiss, the app) happen inside the commands that need
them, so `vixshield calc ...` answers without loading any model.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from assistant.errors import VixShieldError
from assistant.settings import get_settings


class _Group(click.Group):
    """Turns our own errors into one clear line on stderr and exit status 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VixShieldError as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
def app() -> None:
    """Ask VixShield: cited answers and calculators for SPX iron condors hedged with the ALVH."""


# --- corpus -----------------------------------------------------------------


@app.group()
def corpus() -> None:
    """Manage the article corpus."""


@corpus.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Folder for the articles (default: corpus/articles)")
def corpus_import(paths: tuple[Path, ...], out: Path | None) -> None:
    """Import exported knowledge-base pages into corpus/articles/."""
    from assistant.ingest import import_pages

    out = out or get_settings().corpus_dir / "articles"
    logging.getLogger("assistant.ingest").addHandler(logging.NullHandler())  # the warnings are echoed below
    report = import_pages(list(paths), out)
    for path, reason in report.skipped:
        click.echo(f"warning: skipped {path}: {reason}", err=True)
    for article_path in report.written:
        click.echo(f"imported {article_path}")
    click.echo(f"{len(report.written)} imported, {len(report.skipped)} skipped")
    if report.skipped and not report.written:
        sys.exit(1)


# --- index and search ---------------------------------------------------------


@app.group()
def index() -> None:
    """Build the search index."""


@index.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when the corpus has not changed")
def index_build(force: bool) -> None:
    """Build the hybrid (dense + BM25) index from the corpus."""
    from assistant.index import SearchIndex

    idx = SearchIndex(get_settings())
    if not force and not idx.is_stale():
        click.echo("index is up to date (use --force to rebuild)")
        return
    manifest = idx.build(progress=True)
    click.echo(f"built {manifest['chunk_count']} chunks into {idx.current_dir}")


@app.command()
@click.argument("query")
@click.option("--k", default=5, show_default=True, help="How many passages")
@click.option("--json", "as_json", is_flag=True, help="Print JSON")
def search(query: str, k: int, as_json: bool) -> None:
    """Search the knowledge base and print ranked passages with source and score."""
    from assistant.index import SearchIndex

    idx = SearchIndex(get_settings())
    if idx.is_stale():
        click.echo("corpus changed since the last build: rebuilding the index", err=True)
        idx.build(progress=True)
    idx.load()
    hits = idx.search(query, k=k)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo("no passages found")
    for rank, hit in enumerate(hits, 1):
        where = "glossary" if hit.chunk.kind == "glossary" else f"passage {hit.chunk.position + 1}"
        click.echo(f"{rank}. [{hit.score:.3f}] {hit.chunk.title} ({hit.chunk.source_id}, {where})")
        text = " ".join(hit.chunk.text.split())
        click.echo(f"   {text[:300]}{'…' if len(text) > 300 else ''}")


# --- ask and chat -------------------------------------------------------------------


def _assistant():
    from assistant.pipeline import Assistant

    assistant = Assistant(get_settings())
    assistant.warm_up()
    return assistant


def _print_reply(reply, console) -> None:
    from rich.markdown import Markdown
    from rich.table import Table

    console.print(Markdown(reply.answer))
    for calc in reply.calculations:
        table = Table(title=calc.calculator, show_header=True)
        table.add_column("output")
        table.add_column("value", justify="right")
        from assistant.formatting import format_output

        for name, value in calc.outputs.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                table.add_row(name, format_output(calc.calculator, name, value))
        console.print(table)
    for c in reply.citations:
        where = c.url or c.source_id
        console.print(f"[dim][{c.id}] {c.title} — {where}[/dim]")


@app.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the reply object of the chat contract")
@click.option("--conversation", "conversation_id", default=None, help="Continue this conversation")
def ask(question: str, as_json: bool, conversation_id: str | None) -> None:
    """Ask one question and print the cited answer."""
    reply = _assistant().run(question, conversation_id)
    if as_json:
        click.echo(reply.model_dump_json(indent=2))
        return
    from rich.console import Console

    console = Console()
    _print_reply(reply, console)
    console.print(f"[dim]conversation {reply.conversation_id}[/dim]")


@app.command()
@click.option("--conversation", "conversation_id", default=None, help="Continue this conversation")
def chat(conversation_id: str | None) -> None:
    """Chat in the terminal (empty line or Ctrl-D to quit)."""
    import readline  # noqa: F401  (line editing and history for input())

    from rich.console import Console

    console = Console()
    assistant = _assistant()
    console.print("[bold]Ask VixShield[/bold] — educational, not financial advice. Ctrl-D to quit.")
    while True:
        try:
            question = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not question:
            return
        try:
            reply = assistant.run(question, conversation_id)
        except VixShieldError as err:
            console.print(f"[red]{err}[/red]")
            continue
        conversation_id = reply.conversation_id
        _print_reply(reply, console)


# --- serve --------------------------------------------------------------------


@app.command()
@click.option("--host", default=None, help="Address to bind (default VIXSHIELD_HOST or 127.0.0.1)")
@click.option("--port", default=None, type=int, help="Port (default VIXSHIELD_PORT or 8000)")
@click.option("--workers", default=None, type=int, help="uvicorn worker processes")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the API, the widget and the demo page with uvicorn.

    The port opens at once: /healthz answers immediately, /readyz turns 200 once the
    index is loaded. A stale index is rebuilt in the background while the old one serves.
    """
    from assistant.api.server import run

    settings = get_settings()
    run("assistant.api.app:create_app", host or settings.host, port or settings.port, workers or settings.workers, settings)


# --- feedback -------------------------------------------------------------------


@app.group()
def feedback() -> None:
    """Feedback (thumbs up/down) left on answers."""


@feedback.command("export")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None, help="CSV file to write (default: stdout)")
def feedback_export(out: Path | None) -> None:
    """Write all feedback, with the question and answer rated, as CSV."""
    from assistant.store import create_store

    store = create_store(get_settings())
    store.open()
    try:
        if out is None:
            count = store.export_feedback_csv(sys.stdout)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with open(out, "w", newline="", encoding="utf-8") as fp:
                count = store.export_feedback_csv(fp)
            click.echo(f"wrote {count} feedback rows to {out}", err=True)
    finally:
        store.close()


# --- calculators ----------------------------------------------------------------
# One subcommand per calculator, generated from calculators.registry (assistant/cli_calc.py).

from assistant.cli_calc import calc  # noqa: E402  (light: imports no model)

app.add_command(calc)

# The editors' loop: `report gaps` and `answers add|list|remove` (assistant/cli_editors.py).
from assistant.cli_editors import answers, report  # noqa: E402

app.add_command(report)
app.add_command(answers)


if __name__ == "__main__":
    app()
