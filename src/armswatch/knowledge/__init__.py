"""What the pipeline knows about the world, kept as versioned data files with a schema check."""

from armswatch.knowledge.loader import Knowledge, KnowledgeError, default_knowledge, load_knowledge

__all__ = ["Knowledge", "KnowledgeError", "default_knowledge", "load_knowledge"]
