"""``armswatch serve``: the REST API and the web page, from one uvicorn server."""

from __future__ import annotations

from typing import Annotated

import typer

from armswatch.cli.database import DbOption, open_db_or_exit, where

HostOption = Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")]
PortOption = Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on.")]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(db: DbOption = None, host: HostOption = "127.0.0.1", port: PortOption = 8000) -> None:
    """Serve the transfers through the REST API (/api, docs at /api/docs) and the web page (/)."""
    run_server(db, host, port)


def run_server(db: str | None, host: str, port: int, token: str | None = None) -> None:
    import uvicorn

    from armswatch.api.app import Services, configured_token, create_app

    database = open_db_or_exit(db)
    services = Services(database, token=token or configured_token())
    typer.echo(f"armswatch: serving {where(database)} at http://{host}:{port}/  (API docs: /api/docs)")
    if services.token is None:
        typer.echo("  POST /api/documents is disabled: set ARMSWATCH_API_TOKEN to enable it", err=True)
    try:
        uvicorn.run(create_app(services), host=host, port=port, log_level="warning")
    finally:
        database.dispose()
