"""Benchmark of language detection: py3langid (the one armswatch uses) against lingua, if installed.

    .venv/bin/python bench/language.py [--bbc ../shared/data/bbc_news/bbc] [--lingua-path SITE_PACKAGES]

What matters for armswatch is that English news is never set aside as another language (it
would not be extracted), and that other languages are recognised. Measured:

- English recall on the BBC News corpus (2,225 articles) and on AG News (7,600 short items,
  title and description), both read from ../shared at run time (research-only licences, never
  copied): how many are detected as "en", as undetermined, and as another language;
- accuracy on short paragraphs in eleven other languages, written for this benchmark;
- time per document, and the detector's size on disk.

lingua is not a dependency; point ``--lingua-path`` at a site-packages that has it
(``python3 -m venv /tmp/l && /tmp/l/bin/pip install lingua-language-detector``).
Writes ``build/bench/language.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from armswatch.ingest.files import decode_text
from armswatch.ingest.language import MIN_CONFIDENCE, SAMPLE_CHARS, detect_language

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "bench" / "language.json"

# Written for this benchmark: defence-news paragraphs in the languages armswatch meets most.
SAMPLES = {
    "fr": [
        "Le gouvernement a annoncé mardi l'achat de douze hélicoptères de transport pour l'armée de terre. "
        "Les premiers appareils seront livrés l'an prochain, selon le ministère.",
        "Les députés de l'opposition ont critiqué le contrat, jugé trop coûteux, et demandé une enquête.",
    ],
    "de": [
        "Die Bundesregierung hat den Export von Luftabwehrsystemen genehmigt, teilte ein Sprecher am Mittwoch mit. "
        "Die Lieferung soll noch in diesem Jahr beginnen.",
        "Kritiker im Parlament warnten vor den Folgen des Geschäfts für die Region.",
    ],
    "es": [
        "El Ministerio de Defensa firmó un contrato para la compra de cuatro patrulleros oceánicos. "
        "Los buques serán construidos en un astillero nacional durante los próximos tres años.",
        "La oposición pidió más transparencia sobre el precio final del acuerdo.",
    ],
    "it": [
        "Il governo ha approvato la vendita di sei fregate a un paese del Golfo, secondo fonti del ministero. "
        "La consegna della prima nave è prevista per il prossimo anno.",
        "I sindacati hanno accolto con favore la notizia per i posti di lavoro nei cantieri.",
    ],
    "pt": [
        "O Ministério da Defesa confirmou a encomenda de trinta e seis caças, que serão montados no país. "
        "As primeiras aeronaves devem chegar no próximo ano.",
        "Especialistas afirmam que o acordo inclui transferência de tecnologia para a indústria local.",
    ],
    "ru": [
        "Министерство обороны сообщило о поставке новой партии зенитных ракетных комплексов. "
        "По словам представителя ведомства, техника уже прибыла на место назначения.",
        "Эксперты считают, что контракт укрепит сотрудничество двух стран в военной области.",
    ],
    "uk": [
        "Міністерство оборони повідомило про отримання нової партії артилерійських систем від партнерів. "
        "За словами речника, техніка вже перебуває на фронті.",
        "Уряд подякував союзникам за підтримку та попросив прискорити наступні поставки.",
    ],
    "pl": [
        "Ministerstwo Obrony Narodowej podpisało umowę na dostawę czołgów i wozów wsparcia. "
        "Pierwsze pojazdy mają trafić do jednostek jeszcze w tym roku.",
        "Opozycja pyta o koszty utrzymania nowego sprzętu w kolejnych latach.",
    ],
    "tr": [
        "Savunma Bakanlığı, yeni insansız hava araçlarının teslimatının başladığını açıkladı. "
        "İlk sistemlerin önümüzdeki ay hizmete girmesi bekleniyor.",
        "Uzmanlar, anlaşmanın ülkenin savunma sanayisini güçlendireceğini belirtti.",
    ],
    "ar": [
        "أعلنت وزارة الدفاع توقيع عقد لشراء منظومات دفاع جوي جديدة من شركة أجنبية. "
        "ومن المتوقع أن تبدأ عمليات التسليم خلال العام المقبل.",
        "وقال مسؤولون إن الصفقة تشمل تدريب الطواقم وتوفير قطع الغيار.",
    ],
    "zh": [
        "国防部周二宣布，已与外国公司签署采购新型防空系统的合同。首批装备预计明年交付。",
        "专家表示，这项协议将加强两国在国防领域的合作。",
    ],
}


def py3langid_detector() -> tuple[Callable[[str], str | None], str]:
    return (
        detect_language,
        f"py3langid as armswatch uses it (confidence >= {MIN_CONFIDENCE}, first {SAMPLE_CHARS} chars)",
    )


def lingua_detector(path: str) -> tuple[Callable[[str], str | None], str] | None:
    sys.path.append(path)
    try:
        from lingua import LanguageDetectorBuilder  # type: ignore[import-not-found]  # optional
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def detect(text: str) -> str | None:
        language = detector.detect_language_of(text[:SAMPLE_CHARS])
        return language.iso_code_639_1.name.lower() if language else None

    return detect, "lingua (all languages, high accuracy mode)"


def bbc_texts(bbc: Path) -> list[str]:
    return [decode_text(p.read_bytes()) for p in sorted(bbc.rglob("*.txt")) if p.name != "README.TXT"]


def ag_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [f"{title}. {description.replace(chr(92), ' ')}" for _cls, title, description in csv.reader(fh)]


def english_recall(detect: Callable[[str], str | None], texts: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    found = [detect(t) for t in texts]
    seconds = time.perf_counter() - started
    other = sorted({f for f in found if f not in ("en", None)})
    return {
        "documents": len(texts),
        "english": sum(f == "en" for f in found),
        "undetermined": sum(f is None for f in found),
        "other": sum(f not in ("en", None) for f in found),
        "other_codes": other,
        "ms_per_document": round(1000 * seconds / max(len(texts), 1), 3),
    }


def sample_accuracy(detect: Callable[[str], str | None]) -> dict[str, Any]:
    wrong = {}
    total = right = 0
    for language, paragraphs in SAMPLES.items():
        for text in paragraphs:
            total += 1
            got = detect(text)
            if got == language:
                right += 1
            else:
                wrong[text[:40]] = f"{language} -> {got}"
    return {"paragraphs": total, "right": right, "wrong": wrong}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc", type=Path, default=REPO.parent / "shared" / "data" / "bbc_news" / "bbc")
    parser.add_argument("--ag-news", type=Path, default=REPO.parent / "shared" / "data" / "ag_news" / "test.csv")
    parser.add_argument("--lingua-path", help="a site-packages directory holding lingua")
    args = parser.parse_args()
    detectors = [py3langid_detector()]
    if args.lingua_path and (lingua := lingua_detector(args.lingua_path)):
        detectors.append(lingua)
    results = {}
    for detect, name in detectors:
        detect("warm up: load the model before timing")
        row: dict[str, Any] = {"samples": sample_accuracy(detect)}
        if args.bbc.is_dir():
            row["bbc_english"] = english_recall(detect, bbc_texts(args.bbc))
        if args.ag_news.is_file():
            row["ag_news_english"] = english_recall(detect, ag_texts(args.ag_news))
        results[name] = row
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
