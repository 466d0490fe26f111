"""The FastAPI app: the REST API under ``/api``, the analysts' web page under ``/``.

Reads run in FastAPI's thread pool on short read sessions; ``POST /api/documents`` ingests one
article through the same service as ``armswatch ingest`` (serialised with every other writer).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import platformdirs
from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from armswatch import __version__
from armswatch.api import views
from armswatch.api.limits import BodySizeLimit
from armswatch.api.schemas import (
    CountryOut,
    DocumentIn,
    ErrorOut,
    EventPage,
    IngestOut,
    StatsOut,
    SystemOut,
    TransferDetail,
    TransferPage,
)
from armswatch.core.model import Category, Document, EventType, ReadFailure
from armswatch.knowledge import Knowledge, default_knowledge
from armswatch.store import queries
from armswatch.store.db import Database
from armswatch.store.ingest import EventExtractor, Ingester, Outcome
from armswatch.store.queries import Filters, TransferSort

if TYPE_CHECKING:
    from armswatch.ingest.web import Fetcher

TOKEN_ENV = "ARMSWATCH_API_TOKEN"
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_PAGE = 200


def token_file() -> Path:
    return Path(platformdirs.user_config_dir("armswatch", appauthor=False)) / "api-token"


def configured_token() -> str | None:
    """The ingest token: ``ARMSWATCH_API_TOKEN``, else the first line of the user's token file."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    try:
        return token_file().read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _default_fetcher() -> Fetcher:
    """Public addresses only, unless ARMSWATCH_ALLOW_NETWORKS says otherwise: URL ingestion must
    not become a way into the network the server runs in."""
    from armswatch.ingest.web import Fetcher

    return Fetcher()


def _default_extractor() -> EventExtractor:
    from armswatch.nlp.extractor import Extractor  # loads spaCy: only when the first article arrives

    return Extractor()


@dataclass
class Services:
    """What the app's handlers share: the database, the knowledge, and a lazily built ingester."""

    db: Database
    knowledge: Knowledge = field(default_factory=default_knowledge)
    token: str | None = None
    extractor_factory: Callable[[], EventExtractor] = _default_extractor
    fetcher_factory: Callable[[], Fetcher] = _default_fetcher
    max_body_bytes: int = MAX_BODY_BYTES
    _ingester: Ingester | None = field(default=None, init=False)
    _ingest_lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def fetch(self, url: str) -> Document | ReadFailure:
        """The article at ``url``, fetched under the server's address policy, or why not."""
        from armswatch.ingest.sources import fetch_page

        with self.fetcher_factory() as fetcher:
            return fetch_page(fetcher, url, source="api")

    def ingest(self, doc: Document) -> Any:
        with self._ingest_lock:  # one article at a time: the extractor and LSH index are not thread-safe
            if self._ingester is None:
                self._ingester = Ingester.with_knowledge(self.db, self.extractor_factory(), self.knowledge)
            return self._ingester.ingest(doc)


def create_app(services: Services) -> FastAPI:
    app = FastAPI(
        title="armswatch",
        version=__version__,
        description="The arms-transfer record: transfers merged from many articles, each with its evidence.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.add_middleware(BodySizeLimit, max_bytes=services.max_body_bytes)
    app.state.services = services
    app.include_router(_api_routes(services))
    from armswatch.web.pages import mount_static, page_routes  # the page renders what the API serves

    app.include_router(page_routes(services))
    mount_static(app)
    return app


def _session(request: Request) -> Iterator[Session]:
    services: Services = request.app.state.services
    with services.db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


def filters(
    supplier: Annotated[str | None, Query(max_length=64, description="Supplier code: RUS")] = None,
    recipient: Annotated[str | None, Query(max_length=64, description="Recipient: IND, hezbollah")] = None,
    system: Annotated[str | None, Query(max_length=200, description="Designation or family: S-400")] = None,
    category: Annotated[Category | None, Query()] = None,
    type: Annotated[EventType | None, Query(description="Event type (transfers: reached this stage)")] = None,
    date_from: Annotated[dt.date | None, Query(description="Events on or after this day")] = None,
    date_to: Annotated[dt.date | None, Query(description="Events on or before this day")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Free text in evidence, titles, systems")] = None,
) -> Filters:
    return Filters(
        supplier=supplier or None,
        recipient=recipient or None,
        system=system or None,
        category=category.value if category else None,
        type=type.value if type else None,
        date_from=date_from,
        date_to=date_to,
        q=q or None,
    )


FiltersDep = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
RecordId = Annotated[
    int, PathParam(ge=1, le=2**31 - 1, description="A record's id (a 32-bit integer on every backend).")
]
_bearer = HTTPBearer(auto_error=False, description=f"The token in {TOKEN_ENV} (or the user's api-token file).")


def _api_routes(services: Services) -> Any:
    from fastapi import APIRouter

    router = APIRouter(prefix="/api", tags=["api"])

    @router.get("/transfers", response_model=TransferPage)
    def list_transfers(
        session: SessionDep,
        f: FiltersDep,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: TransferSort = "-last_date",
        transfer_status: Annotated[EventType | None, Query(alias="status", description="Latest stage")] = None,
    ) -> TransferPage:
        """Transfers, newest first, narrowed by the filters."""
        if transfer_status:
            f = Filters(**{**f.__dict__, "status": transfer_status.value})
        return views.transfer_page(session, f, limit, offset, sort)

    @router.get("/transfers/{transfer_id}", response_model=TransferDetail, responses={404: {"model": ErrorOut}})
    def get_transfer(session: SessionDep, transfer_id: RecordId) -> TransferDetail:
        """One transfer with its stages over time and every evidence sentence in its context."""
        detail = views.transfer_detail(session, transfer_id)
        if detail is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no transfer {transfer_id}")
        return detail

    @router.get("/events", response_model=EventPage)
    def list_events(session: SessionDep, f: FiltersDep, limit: Limit = 50, offset: Offset = 0) -> EventPage:
        """Events as single documents report them, each with its evidence sentence."""
        return views.event_page(session, f, limit, offset)

    @router.get("/systems", response_model=list[SystemOut])
    def list_systems(session: SessionDep) -> list[SystemOut]:
        """The weapon systems that stored events name, with counts and catalogue details."""
        return views.systems(session, services.knowledge)

    @router.get("/countries", response_model=list[CountryOut])
    def list_countries(session: SessionDep) -> list[CountryOut]:
        """Suppliers and recipients, with the number of transfers on each side."""
        return views.countries(session, services.knowledge)

    @router.get("/stats", response_model=StatsOut)
    def get_stats(session: SessionDep) -> StatsOut:
        """Counts of documents (by status), near-duplicates, events and transfers."""
        return StatsOut(**queries.stats(session))

    @router.post(
        "/documents",
        response_model=IngestOut,
        status_code=status.HTTP_201_CREATED,
        responses={
            200: {"model": IngestOut, "description": "Already stored: nothing added"},
            401: {"model": ErrorOut},
            403: {"model": ErrorOut},
            413: {"model": ErrorOut},
            422: {"model": ErrorOut, "description": "An invalid body, or a URL that cannot be fetched or read"},
        },
    )
    def post_document(
        body: DocumentIn,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Any:
        """Ingest one article; needs the bearer token. Already-stored articles add nothing.

        With only a URL, the server fetches the page (public addresses only, pages reserved for
        evaluation refused) and extracts its text, title and date; a page that cannot be fetched
        or read is answered 422 with the reason."""
        _check_token(services.token, credentials)
        doc = _document(services, body)
        result = services.ingest(doc)
        out = IngestOut(
            outcome=result.outcome.value,
            document_id=result.document_id,
            mentions=result.mentions,
            transfers=sorted(result.transfers),
            message=result.message,
        )
        code = status.HTTP_200_OK if result.outcome is Outcome.DUPLICATE else status.HTTP_201_CREATED
        return JSONResponse(out.model_dump(), status_code=code)

    return router


def _document(services: Services, body: DocumentIn) -> Document:
    """The posted article, or the page at its URL; the language is detected unless given."""
    from armswatch.ingest.language import detect_language

    text, title, published = body.text, body.title, body.published
    if text is None:
        fetched = services.fetch(str(body.url))
        if isinstance(fetched, ReadFailure):
            raise HTTPException(422, f"cannot ingest {body.url}: {fetched.reason}")
        text, title, published = fetched.text, title or fetched.title, published or fetched.published
    return Document(
        id=body.id or body.url or "api",
        text=text,
        title=title,
        published=published,
        url=body.url,
        language=body.language or detect_language(text),
        source="api",
    )


def _check_token(expected: str | None, credentials: HTTPAuthorizationCredentials | None) -> None:
    if expected is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"ingestion is disabled: the server has no token ({TOKEN_ENV})")
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
