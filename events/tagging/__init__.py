"""The news tagger's pure part: lexicon and rules as data, the matcher, and the grouping of
tagged articles into events. No I/O: ``tracker.curation.tagging`` runs it over the log."""

from events.tagging.matcher import Tag, classify, explain, rules_version

__all__ = ["Tag", "classify", "explain", "rules_version"]
