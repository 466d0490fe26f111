"""A small tagged corpus (written for these tests) and a helper that stores it.

Tags before sentences say which events the :class:`TaggedLineExtractor` reports; the page
and the API only ever show the sentence after the tag, with its real offsets.
"""

from __future__ import annotations

import datetime as dt

from armswatch.core.model import Document
from armswatch.knowledge import default_knowledge
from armswatch.store.db import Database
from armswatch.store.ingest import IngestReport, ingest_documents
from tests.support.extractors import TaggedLineExtractor

SCRIPT = "<script>window.__pwned = 1</script>"

ARTICLES = [
    (
        "tur-1",
        "2017-09-12",
        "https://news.example/tur-1",
        "Turkey signs for Russian air defence",
        "Ankara has finalised its purchase of a long-range air defence system.\n"
        "[AGREE RUS>TUR S-400 2017-09 conf=0.9 qty=4] Turkey signed a deal to buy four S-400 batteries from Russia, "
        "officials in Ankara said on Tuesday.\n"
        "[OPPOSE RUS>TUR S-400 2017-09 actor=USA conf=0.7] Washington warned that the S-400 purchase could bring "
        "sanctions.\nThe first deliveries are expected within two years.",
    ),
    (
        "tur-2",
        "2019-07-12",
        "https://news.example/tur-2",
        "First S-400 parts land near Ankara",
        "A Russian cargo plane landed at an air base near the capital.\n"
        "[DELIVER RUS>TUR S-400 2019-07-12 conf=0.85] The first parts of the S-400 system were delivered to Turkey "
        "on Friday, the defence ministry said.\nMore flights are expected in the coming days.",
    ),
    (
        "tur-2-copy",
        "2019-07-13",
        "https://wire.example/copy-of-tur-2",
        "Russian S-400 parts delivered to Turkey",
        "By our wire service. A Russian cargo plane landed at an air base near the capital.\n"
        "[DELIVER RUS>TUR S-400 2019-07-12 conf=0.85] The first parts of the S-400 system were delivered to Turkey "
        "on Friday, the defence ministry said.\nMore flights are expected in the coming days.",
    ),
    (
        "ind-1",
        "2018-10-05",
        "https://news.example/ind-1",
        "India and Russia seal air defence contract",
        "[AGREE RUS>IND S-400 2018-10 conf=0.9 qty=5] India and Russia signed a contract for five S-400 regiments "
        "during the summit in New Delhi.\nThe contract is reported to be worth several billion dollars.",
    ),
    (
        "pol-1",
        "2022-03-20",
        None,
        f"Patriot batteries {SCRIPT} arrive in Poland",
        "[DELIVER USA>POL Patriot 2022-03 conf=0.8] The United States delivered Patriot batteries to Poland "
        f"this month {SCRIPT} as part of a reinforcement package.\nNo further details were given.",
    ),
    (
        "irn-1",
        "2010-09-22",
        "https://news.example/irn-1",
        "Moscow halts missile sale to Tehran",
        "[REFUSE RUS>IRN S-300 2010-09 conf=0.8] Russia refused to deliver S-300 missiles to Iran, citing the new "
        "sanctions.\nOfficials in Tehran criticised the decision.",
    ),
]


def corpus_documents() -> list[Document]:
    return [
        Document(id=i, text=text, title=title, url=url, published=dt.date.fromisoformat(day), source=f"corpus:{i}")
        for i, day, url, title, text in ARTICLES
    ]


def seed(db: Database) -> IngestReport:
    return ingest_documents(db, TaggedLineExtractor(), corpus_documents(), knowledge=default_knowledge())
