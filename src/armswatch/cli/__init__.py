"""The ``armswatch`` command: thin wiring of the pipeline's stages, one module per command."""

from __future__ import annotations

import typer

from armswatch.cli import batch, demo, export, extract, ingest, knowledge, serve, status, watch

app = typer.Typer(
    name="armswatch",
    help="Turn news into a living record of the international arms trade.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
extract.register(app)
batch.register(app)
knowledge.register(app)
ingest.register(app)
watch.register(app)
status.register(app)
serve.register(app)
demo.register(app)
export.register(app)


def main() -> None:
    app()
