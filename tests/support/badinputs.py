"""The corpus of bad inputs, made at run time in a directory (nothing of it is committed).

``make_corpus`` writes good articles beside every kind of bad input the web and old files
throw at a batch, and returns what each should become: stored, or failed with a reason.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support.articles import english_article
from tests.support.web import article_html

FIFTY_MB = 50 * 1024 * 1024
FRENCH = (
    "Le ministère de la Défense a confirmé mardi la commande de quatre patrouilleurs auprès d'un chantier "
    "naval étranger. Les premiers navires seront livrés l'année prochaine, selon un porte-parole, et les "
    "équipages suivront une formation à l'étranger avant la livraison."
)
GERMAN = (
    "Das Verteidigungsministerium hat am Dienstag die Bestellung von vier Patrouillenbooten bei einer "
    "ausländischen Werft bestätigt. Die ersten Schiffe sollen im nächsten Jahr geliefert werden, sagte ein "
    "Sprecher, und die Besatzungen werden vorher im Ausland ausgebildet."
)


@dataclass
class Corpus:
    root: Path
    stored: set[str] = field(default_factory=set)  # titles of documents that must be stored done
    unsupported: set[str] = field(default_factory=set)  # titles stored as unsupported-language
    failed: dict[str, str] = field(default_factory=dict)  # source suffix -> part of the reason


def article_text(number: int) -> tuple[str, str]:
    title, body = english_article(number)
    return title, f"{title}\n\n{body}\n"


def warc_bytes(numbers: list[int], compress: bool = True) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for n in numbers:
        title, body = english_article(n)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        payload = io.BytesIO(article_html(title, body).encode())
        url = f"https://archive.example/story/{n}"
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=http))
    return out.getvalue()


def make_corpus(root: Path) -> Corpus:
    root.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(root)
    for n in (1, 2):
        title, text = article_text(n)
        (root / f"good{n}.txt").write_text(text, encoding="utf-8")
        corpus.stored.add(title)

    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b"   \n\n \t\n")
    corpus.failed |= {"empty.txt": "empty document", "blank.txt": "empty document"}
    (root / "binary.txt").write_bytes(b"\x00\x01\x02" + random.Random(1).randbytes(2000))
    corpus.failed["binary.txt"] = "binary data"

    title, text = article_text(3)  # invalid UTF-8 bytes in a UTF-8 file: repaired, not refused
    (root / "invalid-utf8.txt").write_bytes(text.encode() + b"Stray bytes: \xff\xfe\x81.\n")
    corpus.stored.add(title)
    title, text = article_text(4)  # a Windows-1252 paragraph pasted into a UTF-8 file
    (root / "mixed.txt").write_bytes(text.encode() + "Café prices rose to £5.\n".encode("cp1252"))
    corpus.stored.add(title)

    lines = [json.dumps({"id": f"gz{n}", "title": article_text(n)[0], "text": article_text(n)[1]}) for n in (5, 6, 7)]
    whole = gzip.compress(("\n".join(lines) + "\n").encode())
    (root / "truncated.jsonl.gz").write_bytes(whole[: len(whole) - 40])
    corpus.stored |= {article_text(5)[0], article_text(6)[0]}  # the cut falls in the last line
    corpus.failed["truncated.jsonl.gz"] = "broken compressed stream"

    archive = warc_bytes([8, 9, 10, 11])
    (root / "truncated.warc.gz").write_bytes(archive[: len(archive) - 200])
    corpus.stored |= {english_article(n)[0] for n in (8, 9, 10)}
    corpus.failed["truncated.warc.gz#"] = "archive broken after 3 record(s)"

    (root / "malformed.html").write_text(
        f"<html><body><p>{english_article(12)[1]}<div><<>> <b>unclosed</p></i>", encoding="utf-8"
    )
    corpus.stored.add("")  # a page with no <title>: stored with an empty title
    (root / "scriptonly.html").write_text("<html><head><script>x()</script></head><body></body></html>")
    corpus.failed["scriptonly.html"] = "no article text found"

    good, nul = article_text(13), article_text(14)
    (root / "malformed.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"id": "j13", "title": good[0], "text": good[1]}),
                '{"id": "broken", "text": "unterminated',
                "[1, 2, 3]",
                json.dumps({"id": "notext", "title": "no text"}),
                json.dumps({"id": "j14", "title": nul[0], "text": nul[1].replace("agreed", "agreed\x00")}),
                json.dumps({"id": "fr", "title": "Patrouilleurs", "text": FRENCH}),
                json.dumps({"id": "de", "title": "Patrouillenboote", "text": GERMAN}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    corpus.stored |= {good[0], nul[0]}
    corpus.unsupported |= {"Patrouilleurs", "Patrouillenboote"}
    corpus.failed |= {"malformed.jsonl:2": "not a JSON object", "malformed.jsonl:3": "not a JSON object but list",
                      "malformed.jsonl:4": "missing 'text'"}  # fmt: skip

    with (root / "huge.txt").open("wb") as fh:  # a 50 MB document
        fh.write(b"Huge\n\n" + b"word " * (FIFTY_MB // 5))
    corpus.failed["huge.txt"] = "too large"
    after = article_text(15)
    with (root / "huge-line.jsonl").open("wb") as fh:  # a 50 MB line, then a good one
        fh.write(b'{"id": "huge", "text": "' + b"x" * FIFTY_MB + b'"}\n')
        fh.write(json.dumps({"id": "after-huge", "title": after[0], "text": after[1]}).encode() + b"\n")
    corpus.stored.add(after[0])
    corpus.failed["huge-line.jsonl:1"] = "too large"
    return corpus
