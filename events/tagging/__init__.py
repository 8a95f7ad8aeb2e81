"""The news tagger's pure part: lexicon and rules as data, the model-name grammar, the release
score and its novelty memory, the matcher, and the grouping of tagged articles into events. No
I/O: ``tracker.curation.tagging`` runs it over the log."""

from events.tagging.matcher import Reading, Tag, classify, explain, read_headline, rules_version
from events.tagging.novelty import ModelHistory
from events.tagging.release import Context

__all__ = ["Context", "ModelHistory", "Reading", "Tag", "classify", "explain", "read_headline", "rules_version"]
