"""The analysts' web page: search and filters, the transfers table, flow and timeline charts,
and each transfer's page with its evidence highlighted in the article's text.

Pages are rendered on the server with Jinja2 (autoescaping on: article text is never trusted)
and drawn with plotly.js, served from the installed ``plotly`` package.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from armswatch.api import views
from armswatch.core.model import Category, EventType
from armswatch.merge.transfers import STAGE_ORDER
from armswatch.store import queries
from armswatch.store.queries import Filters

if TYPE_CHECKING:
    from armswatch.api.app import Services

HERE = Path(__file__).parent
PAGE_SIZE = 25
FILTER_FIELDS = ("supplier", "recipient", "system", "category", "type", "date_from", "date_to", "q")
templates = Jinja2Templates(directory=HERE / "templates")  # .html templates autoescape


def plotly_js() -> Path:
    """plotly.js as the ``plotly`` Python package ships it."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def page_filters(request: Request) -> Filters:
    """Filters from the page's form: empty or malformed fields are ignored, not errors."""
    params = request.query_params

    def text(name: str, limit: int = 200) -> str | None:
        value = params.get(name, "").strip()
        return value[:limit] or None

    def choice(name: str, allowed: set[str]) -> str | None:
        value = text(name)
        return value if value in allowed else None

    return Filters(
        supplier=text("supplier", 64),
        recipient=text("recipient", 64),
        system=text("system"),
        category=choice("category", {c.value for c in Category}),
        type=choice("type", {t.value for t in EventType}),
        date_from=_day(text("date_from")),
        date_to=_day(text("date_to")),
        q=text("q"),
    )


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _query_string(f: Filters, **more: Any) -> str:
    values = {name: getattr(f, name) for name in FILTER_FIELDS} | more
    return urlencode({k: str(v) for k, v in values.items() if v not in (None, "", 0)})


def page_routes(services: Services) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    knowledge = services.knowledge

    @router.get("/", response_class=HTMLResponse)
    def index(request: Request, page: int = 1) -> HTMLResponse:
        f = page_filters(request)
        page = max(1, min(page, 100_000))
        with services.db.session() as session:
            listing = views.transfer_page(session, f, PAGE_SIZE, (page - 1) * PAGE_SIZE, "-last_date")
            chart = {
                "flows": [
                    {"source": views.party_name(s, knowledge), "target": views.party_name(r, knowledge), "value": n}
                    for s, r, n in queries.flows(session, f)
                ],
                "years": [{"year": y, "type": t, "count": n} for y, t, n in queries.events_per_year(session, f)],
                "stages": STAGE_ORDER,
            }
            parties = views.countries(session, knowledge)
            systems = views.systems(session, knowledge)
            stats = queries.stats(session)
        pages = max(1, -(-listing.total // PAGE_SIZE))
        return templates.TemplateResponse(
            request,
            "index.html",
            {
                "f": f,
                "listing": listing,
                "chart": chart,
                "parties": parties,
                "systems": systems,
                "stats": stats,
                "page": page,
                "pages": pages,
                "categories": [c.value for c in Category],
                "stages": STAGE_ORDER,
                "name": lambda code: views.party_name(code, knowledge) if code else "unknown",
                "prev_url": f"/?{_query_string(f, page=page - 1)}" if page > 1 else None,
                "next_url": f"/?{_query_string(f, page=page + 1)}" if page < pages else None,
                "csv_query": _query_string(f),
            },
        )

    @router.get("/transfers/{transfer_id}", response_class=HTMLResponse)
    def transfer(request: Request, transfer_id: int) -> HTMLResponse:
        with services.db.session() as session:
            detail = views.transfer_detail(session, transfer_id) if 0 < transfer_id < 2**31 else None
        if detail is None:
            raise HTTPException(404, f"no transfer {transfer_id}")
        chart = {
            "stages": STAGE_ORDER,
            "points": [
                {
                    "date": (e.date or (e.document.published.isoformat() if e.document.published else None)),
                    "type": e.type,
                    "title": e.document.title,
                    "dated": e.date is not None,
                }
                for e in detail.evidence
            ],
        }
        return templates.TemplateResponse(
            request,
            "transfer.html",
            {
                "t": detail,
                "chart": chart,
                "name": lambda code: views.party_name(code, knowledge) if code else "unknown",
            },
        )

    @router.get("/static/vendor/plotly.min.js")
    def plotly() -> FileResponse:
        return FileResponse(plotly_js(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    return router


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
