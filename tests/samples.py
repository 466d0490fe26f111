"""Short news-like documents written for these tests: some report arms transfers, most do not.

They are combinations of sentences written here (no dev-set or corpus text), so that shards,
engines and the fast path see documents with and without events, several lines, and bylines.
"""

from __future__ import annotations

import datetime as dt
import itertools

from armswatch.core.model import Document

TRANSFER_SENTENCES = [
    "Russia delivered the S-400 air defence system to India last year.",
    "Moscow has refused to sell Iskander missiles to Syria, officials said.",
    "The United States approved the sale of Patriot missiles to India on Tuesday.",
    "Iran requested more S-300 batteries from Russia in March.",
    "India signed a $5 billion contract with Russia for five S-400 regiments.",
    "Russia suspended the delivery of the S-300 to Iran after the talks collapsed.",
]
BACKGROUND_SENTENCES = [
    "The ministry did not comment on the timing.",
    "Analysts expect more news after the summit.",
    "The system has a range of several hundred kilometres.",
    "Talks between the two sides continued into the evening.",
]
UNRELATED_SENTENCES = [
    "The striker scored twice as the home side won the cup final on Saturday.",
    "Shares in the retailer rose 4% after it reported strong holiday sales.",
    "The band will tour Europe next spring, playing twelve cities.",
    "Heavy rain is expected across the north of the country this weekend.",
    "The council approved a new cycle lane along the river.",
    "Critics praised the film's script but found the ending weak.",
    "The airline said it would add three daily flights to the capital.",
    "A new smartphone app lets users split restaurant bills.",
]


def sample_documents() -> list[Document]:
    """Three dozen documents: a third about transfers, the rest general news."""
    docs: list[Document] = []
    transfers = itertools.cycle(TRANSFER_SENTENCES)
    background = itertools.cycle(BACKGROUND_SENTENCES)
    unrelated = itertools.cycle(UNRELATED_SENTENCES)
    for n in range(36):
        if n % 3 == 0:
            lines = [next(unrelated), next(transfers), next(background), next(transfers)]
            title = "Arms deal"
        else:
            lines = [next(unrelated), next(unrelated), next(unrelated)]
            title = "In brief"
        text = f"{title}\n\n" + "\n\n".join(lines)
        docs.append(Document(id=f"sample-{n:03d}", text=text, title=title, published=dt.date(2021, 5, 1 + n % 28)))
    return docs


def document_record(doc: Document) -> dict[str, object]:
    """The contract's JSON object for a document."""
    return {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "published": doc.published.isoformat() if doc.published else None,
        "url": None,
    }
