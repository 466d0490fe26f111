"""Property tests of the API against its own OpenAPI schema (schemathesis): whatever request
the schema allows or forbids, no server error, and every response matches the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from armswatch.api.app import Services, create_app
from armswatch.ingest.safety import UnsafeUrl, UrlPolicy
from armswatch.ingest.web import Fetcher
from armswatch.knowledge import default_knowledge
from armswatch.store.db import open_database
from tests.support.corpus import seed
from tests.support.extractors import TaggedLineExtractor

EXAMPLES_PER_OPERATION = 25  # bounded: the suite must stay fast on two cores
TOKEN = "property-token"


class NoNetwork(UrlPolicy):
    """Generated URLs must reach nothing, not even a public address: every connection is refused."""

    def check_address(self, address: str) -> None:
        raise UnsafeUrl("the property tests reach no network")


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = open_database(Path(tmp_path_factory.mktemp("schema")) / "schema.sqlite")
    seed(db)
    services = Services(
        db, default_knowledge(), token=TOKEN, extractor_factory=TaggedLineExtractor,
        fetcher_factory=lambda: Fetcher(NoNetwork()),
    )  # fmt: skip
    yield schemathesis.openapi.from_asgi("/api/openapi.json", create_app(services))
    db.dispose()


OPERATIONS = ["GET /api/transfers", "GET /api/transfers/{transfer_id}", "GET /api/events", "GET /api/systems",
              "GET /api/countries", "GET /api/stats", "POST /api/documents"]  # fmt: skip


def test_every_operation_is_covered(api_schema: Any) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_honours_the_schema(api_schema: Any, label: str) -> None:
    operation = api_schema.find_operation_by_label(label)

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        # With the token, so that generated articles really go through ingestion. A body with a URL
        # and no text is well-formed, yet its page cannot be fetched here: 422 is the right answer.
        url_only = isinstance(case.body, dict) and case.body.get("text") is None
        excluded = [positive_data_acceptance] if url_only else []
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=excluded)

    check()
