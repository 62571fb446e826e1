"""The judging engine: assignment of items to judges and ranking of reviewed items.

It knows nothing of essays or ideas: what it judges are "items" identified by any
hashable id, scored by judges against a rubric. Contest entries and ideas plug in.
"""
