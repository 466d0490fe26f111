"""``armswatch knowledge``: check and summarise the knowledge files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from armswatch.knowledge import KnowledgeError, load_knowledge
from armswatch.knowledge.loader import knowledge_dirs

group = typer.Typer(help="Check and summarise the knowledge files (states, systems, triggers).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="knowledge")


@group.command("check")
def check(
    extra: Annotated[
        list[Path] | None, typer.Argument(help="More knowledge directories to check with the bundled ones.")
    ] = None,
) -> None:
    """Validate every knowledge file against its schema and print what it holds."""
    dirs = knowledge_dirs(extra or [])
    try:
        kb = load_knowledge(dirs)
    except KnowledgeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    categories = Counter(s.category.value for s in kb.systems.values())
    typer.echo(f"knowledge {kb.fingerprint}: {len(kb.files)} files in {', '.join(map(str, dirs))}")
    typer.echo(f"  states          {len(kb.states)}")
    typer.echo(f"  organisations   {len(kb.organisations)}")
    typer.echo(f"  office holders  {len(kb.office_holders)}")
    typer.echo(f"  groups          {len(kb.groups)}")
    typer.echo(f"  systems         {len(kb.systems)}  ({', '.join(f'{c} {n}' for c, n in categories.most_common())})")
    for lang, trig in sorted(kb.triggers.items()):
        typer.echo(f"  triggers [{lang}]   {len(trig.triggers)} entries")
