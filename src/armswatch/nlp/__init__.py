"""Finding mentions and events in text: fast pre-filter, spaCy tokens and sentences,
mention matching from the knowledge files, and event assembly."""
