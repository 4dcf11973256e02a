"""The kg command line: a thin layer over the library.

Each command parses its options, calls one library function and prints. Data (records,
query results, exports) goes to stdout; messages, warnings and progress go to stderr, so
``kg extract a.txt | jq`` always works. Errors kg raises on purpose print one line,
``kg: error: <message>``, and exit 1; a bad input skipped during ``extract`` or ``build``
prints ``kg: skipped: <message>`` and the command exits 2 at the end (``--strict`` stops at
the first one instead). Anything else is a bug: its traceback shows with ``--debug``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from kg.errors import KgError
from kg.export import EXPORTERS, FAMILIES
from kg.store import DEFAULT_STORE, open_store

app = typer.Typer(
    help="Build a knowledge graph of political actors and positions from news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)


class _LineFormatter(logging.Formatter):
    """"kg: warning: <message>" on one line, the message's own line breaks escaped."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().replace("\n", "\\n")
        return f"kg: {record.levelname.lower()}: {message}"
_state = {"debug": False, "quiet": False}


class RecordFormat(str, Enum):
    jsonl = "jsonl"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class ResultFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class StatsFormat(str, Enum):
    table = "table"
    json = "json"


StoreOption = Annotated[Path, typer.Option("--store", "-s", help="The store directory.")]
PathsArgument = Annotated[
    list[Path],
    # readable=False: an unreadable file is a bad input kg.ingest skips with one line, not a
    # usage error that stops the command before any other file is read
    typer.Argument(help="Article files (.txt, .md, .html, .jsonl) and directories.",
                   show_default=False, readable=False),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="spaCy model name or path (default en_core_web_sm).")
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Stop at the first bad input.")]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", min=1, help="Refuse article files larger than this.")
]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _say(message: str) -> None:
    """One unwrapped line on stderr (rich would wrap long paths over several lines).

    Control characters (a newline in a file name) are written as escapes, and so are
    surrogates (bytes of a file name that are not UTF-8), so a message stays one line.
    """
    message = _CONTROL.sub(lambda match: repr(match.group())[1:-1], message)
    typer.echo(message.encode("utf-8", "backslashreplace").decode("utf-8"), err=True)


def _fail(error: KgError) -> NoReturn:
    _say(f"kg: error: {error}")
    raise typer.Exit(1)


class _Skips:
    """Reports bad inputs as they are skipped, and remembers that some were."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.count = 0

    def __call__(self, error: KgError) -> None:
        if self.strict:
            raise error
        self.count += 1
        _say(f"kg: skipped: {error}")

    def exit(self) -> None:
        if self.count:
            raise typer.Exit(2)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug messages.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors; no progress.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of bugs.")] = False,
) -> None:
    """kg: news text in, an RDF graph of actors and their positions out."""
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    if stderr.is_terminal:
        handler: logging.Handler = RichHandler(console=stderr, show_path=False)
        handler.setFormatter(logging.Formatter("%(message)s", datefmt="[%X]"))
    else:
        # piped or logged: one plain line a message ("kg: warning: a.md: duplicate of b"),
        # as a script or a log reader expects, never wrapped to a terminal's width
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_LineFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # Dask and uvicorn log their own start-up at INFO; show it only with --verbose
    for noisy in ("distributed", "uvicorn", "uvicorn.error"):
        logging.getLogger(noisy).setLevel(level if verbose else max(level, logging.WARNING))
    _state.update(debug=debug, quiet=quiet)


@app.command("extract")
def extract_cmd(
    paths: PathsArgument,
    fmt: Annotated[
        RecordFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RecordFormat.jsonl,
    model: ModelOption = None,
    strict: StrictOption = False,
    max_bytes: MaxBytesOption = 20_000_000,
) -> None:
    """Extract records (actors, roles, relations, quotes, positions) to stdout as JSONL."""
    from kg.ingest import read_documents
    from kg.pipeline import extract_documents

    skips = _Skips(strict)
    try:
        for extraction in extract_documents(
            read_documents(paths, on_error=skips, max_bytes=max_bytes), model=model, on_error=skips
        ):
            sys.stdout.write(
                "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in extraction.to_json())
            )
    except KgError as error:
        _fail(error)
    skips.exit()


@app.command("build")
def build_cmd(
    paths: PathsArgument,
    store: StoreOption = Path(DEFAULT_STORE),
    model: ModelOption = None,
    strict: StrictOption = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract documents whose content is already stored.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents per spaCy batch.")
    ] = 16,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, show_default="the usable cores",
                     help="Extraction processes (with --engine dask: LocalCluster workers)."),
    ] = None,
    engine: Annotated[
        Engine, typer.Option(help="local: this machine; dask: a Dask cluster.")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://HOST:8786); default a LocalCluster."),
    ] = None,
    remote: Annotated[
        str | None,
        typer.Option(help="Send the graph as N-Quads shards to this SPARQL 1.1 Graph Store "
                          "endpoint instead of --store."),
    ] = None,
    shards: Annotated[
        Path | None, typer.Option(help="With --remote: keep the N-Quads shards here.")
    ] = None,
    max_bytes: MaxBytesOption = 20_000_000,
) -> None:
    """Read articles, extract records and store them as RDF (one graph per document)."""
    import tempfile

    from kg.pipeline import BuildProgress, build
    from kg.scale import Dask, ProcessPool, ShardWriter, push_shards, usable_cores

    jobs = jobs or usable_cores()
    if engine is Engine.dask:
        import distributed  # noqa: F401 - configures its loggers on import; quiet them after

        if not logging.getLogger("kg").isEnabledFor(logging.DEBUG):
            logging.getLogger("distributed").setLevel(logging.WARNING)
        strategy = Dask(scheduler=scheduler, jobs=jobs)
    else:
        strategy = ProcessPool(jobs)
    skips = _Skips(strict)
    show = not _state["quiet"] and stderr.is_terminal
    progress = Progress(
        TextColumn("building"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=stderr,
        disable=not show,
    )
    task = progress.add_task("", total=None)

    def advance(step: BuildProgress) -> None:
        progress.update(task, completed=step.done, total=step.total, description=step.document)

    options = {"model": model, "batch_size": batch_size, "force": force, "strategy": strategy,
               "max_bytes": max_bytes, "on_error": skips, "progress": advance}
    try:
        with progress:
            if remote:
                with tempfile.TemporaryDirectory() as scratch:
                    writer = ShardWriter(shards or scratch)
                    summary = build(paths, writer, **options)
                    push_shards(writer.shards, remote, mode="graph")  # replaces changed documents
                held = f"{len(writer.shards)} shards sent to {remote}"
            else:
                with open_store(store) as graph:
                    summary = build(paths, graph, **options)
                    stats = graph.stats()
                held = (f"{store} holds {stats['documents']} documents, {stats['actors']} actors, "
                        f"{stats['quads']} quads")
    except KgError as error:
        _fail(error)
    except KeyboardInterrupt:
        _say("kg: interrupted; every document stored so far is whole, a re-run completes the build")
        raise typer.Exit(130) from None
    if not _state["quiet"]:
        _say(f"kg: {summary}; {held}")
    skips.exit()


@app.command("query")
def query_cmd(
    query: Annotated[
        str,
        typer.Argument(
            help="SPARQL text, a .rq file, or the name of a shipped query (see kg queries)."
        ),
    ],
    store: StoreOption = Path(DEFAULT_STORE),
    fmt: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds.")] = 30.0,
    actor: Annotated[list[str] | None, typer.Option(
        help="Shipped queries: only this actor (canonical name or IRI; repeatable).")] = None,
    issue: Annotated[list[str] | None, typer.Option(
        help="Shipped queries: only this issue (name or IRI; repeatable).")] = None,
    event: Annotated[list[str] | None, typer.Option(
        help="Shipped queries: only this event class (offer, accuse ...; repeatable).")] = None,
    role: Annotated[list[str] | None, typer.Option(
        help="Shipped queries: only this role or title (repeatable).")] = None,
    actor_type: Annotated[list[str] | None, typer.Option(
        "--type", help="Shipped queries: only actors of this type (repeatable).")] = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="Shipped queries: only records dated on or after this ISO date.")] = None,
    end: Annotated[str | None, typer.Option(
        "--to", help="Shipped queries: only records dated on or before this ISO date.")] = None,
    limit: Annotated[int, typer.Option(
        min=1, help="Shipped queries: rows per page.")] = 100,
    offset: Annotated[int, typer.Option(
        min=0, help="Shipped queries: rows skipped before the page.")] = 0,
) -> None:
    """Run a SPARQL query (read-only) and print the answer.

    Shipped queries print one page (--limit, --offset) and take the parameters their
    description lists (kg queries).
    """
    from kg.query import format_result, run_query

    try:
        with open_store(_existing(store), read_only=True) as graph:
            result = run_query(graph, query, timeout=timeout, limit=limit, offset=offset,
                               actor=actor or None, issue=issue or None, event=event or None,
                               role=role or None, type=actor_type or None, start=start,
                               end=end)
            sys.stdout.write(format_result(result, fmt.value))
    except KgError as error:
        _fail(error)


_OPTION_NAMES = {"actor": "--actor", "issue": "--issue", "event": "--event", "role": "--role",
                 "type": "--type", "start": "--from", "end": "--to"}


@app.command("queries")
def queries_cmd() -> None:
    """List the shipped competency queries."""
    from kg.query import list_queries, query_parameters

    for name, description in list_queries().items():
        takes = " ".join(_OPTION_NAMES.get(n, n) for n in query_parameters(name))
        sys.stdout.write(f"{name}\t{description}\t{takes}\n")


# the formats, grouped by family, and those that take --view, from the one registry
_FORMAT_HELP = "; ".join(
    f"{', '.join(fmt.name for fmt in EXPORTERS.values() if fmt.family == family)} ({label})"
    for family, label in FAMILIES.items()) + "."
_VIEW_FORMATS = "/".join(fmt.name for fmt in EXPORTERS.values() if fmt.takes_view)


@app.command("export")
def export_cmd(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=_FORMAT_HELP,
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default stdout).")
    ] = None,
    store: StoreOption = Path(DEFAULT_STORE),
    view: Annotated[
        str,
        typer.Option(
            help=f"Network view for {_VIEW_FORMATS}: actors, positions, agreement, conflict."
        ),
    ] = "actors",
    start: Annotated[
        str | None,
        typer.Option("--from", help="Networks and tables: only records dated on or after "
                                    "this ISO date (undated records are left out)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Networks and tables: only records dated on or before "
                                  "this ISO date."),
    ] = None,
    window: Annotated[
        int | None,
        typer.Option("--window", help="Networks and tables: a window of this many days, "
                                      "ending at --to (or starting at --from, or ending at "
                                      "the latest date); in GEXF each edge lasts the window."),
    ] = None,
) -> None:
    """Export the graph as RDF, as a network for Gephi, or as an event or statement table."""
    from kg.export import Period, export

    try:
        period = Period(start=start, end=end, window=window)
        with open_store(_existing(store), read_only=True) as graph:
            if out is None:
                export(graph, fmt, sys.stdout.buffer, view=view, period=period)
            else:
                with out.open("wb") as stream:
                    export(graph, fmt, stream, view=view, period=period)
    except OSError as error:
        _fail(KgError(f"{out}: cannot write: {error.strerror}"))
    except KgError as error:
        _fail(error)


@app.command("stats")
def stats_cmd(
    store: StoreOption = Path(DEFAULT_STORE),
    fmt: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.table,
) -> None:
    """Count documents, actors, relations, quotes, positions and triples in the store."""
    try:
        with open_store(_existing(store), read_only=True) as graph:
            stats = graph.stats()
    except KgError as error:
        _fail(error)
    if fmt is StatsFormat.json:
        sys.stdout.write(json.dumps(stats, indent=1) + "\n")
    else:
        width = max(len(k) for k in stats)
        sys.stdout.write("".join(f"{k:<{width}}  {v}\n" for k, v in stats.items()))


@app.command("validate")
def validate_cmd(
    store: StoreOption = Path(DEFAULT_STORE),
    document: Annotated[list[str] | None, typer.Option(
        help="Check only this document's graph and the entities graph (repeatable): "
             "what a build has just stored.")] = None,
) -> None:
    """Check the store against the SHACL shapes in ontology/; exit 1 on violations."""
    from kg.validate import validate_store

    try:
        with open_store(_existing(store), read_only=True) as graph:
            violations = validate_store(graph, documents=document or None)
    except KgError as error:
        _fail(error)
    for violation in violations:
        sys.stdout.write(f"{violation.focus_node}: {violation.message}\n")
    if violations:
        _say(f"kg: {len(violations)} violations")
        raise typer.Exit(1)
    if not _state["quiet"]:
        _say("kg: the store conforms to the shapes")


@app.command("serve")
def serve_cmd(
    store: StoreOption = Path(DEFAULT_STORE),
    host: Annotated[
        str,
        typer.Option(
            help="Address to bind. The default, 127.0.0.1, keeps the endpoint on this "
            "machine: it has no authentication, so bind another address only on a "
            "trusted network."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run.")] = 10.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Most rows sent for one query; the rest are cut off.")
    ] = 10000,
    allow_service: Annotated[
        bool, typer.Option("--allow-service", help="Let queries call other endpoints with SERVICE.")
    ] = False,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Another name clients may reach the server by (the "
                     "Host header; repeatable, * for any). Others are refused: DNS rebinding."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Queries run at once (default: one per core).")
    ] = None,
    max_waiting: Annotated[
        int, typer.Option("--max-waiting", min=0, help="Queries queued beyond those; more get "
                          "503 at once.")
    ] = 64,
    max_memory: Annotated[
        int, typer.Option("--max-memory", min=64, help="MiB one query may use; over it, 503.")
    ] = 2048,
    cors: Annotated[
        list[str] | None,
        typer.Option("--cors", metavar="ORIGIN", help="Let web pages from ORIGIN (e.g. "
                     "http://localhost:8888, a notebook) query the endpoint (repeatable). "
                     "Off by default: other sites' pages are refused."),
    ] = None,
    cache: Annotated[
        int, typer.Option("--cache", min=0, help="MiB of answers kept for queries asked "
                          "again of the same store (0: none).")
    ] = 64,
) -> None:
    """Serve the store read-only: SPARQL 1.1 at /sparql and a query page at /."""
    from kg.serve import serve

    try:
        serve(
            _existing(store),
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            allow_service=allow_service,
            allowed_hosts=allow_host or (),
            workers=workers,
            max_waiting=max_waiting,
            max_memory=max_memory << 20,
            cors=cors or (),
            cache_bytes=cache << 20,
            log_level="warning" if _state["quiet"] else "info",
        )
    except KgError as error:
        _fail(error)


def _existing(store: Path) -> Path:
    """Reading commands must not create an empty store where the user mistyped a path."""
    if not store.exists():
        _fail(KgError(f"{store}: no store here (build one with kg build)"))
    return store


def run() -> None:
    """Entry point that turns uncaught bugs into a one-line message unless --debug."""
    try:
        app()
    except Exception as error:  # noqa: BLE001 - the outermost boundary
        if "--debug" in sys.argv:
            raise
        _say(f"kg: internal error: {type(error).__name__}: {error} (rerun with --debug)")
        sys.exit(1)


if __name__ == "__main__":
    run()
