"""Reconciliation (W3C Entity Reconciliation API 0.2): names from other datasets -> our IRIs.

``matcher`` indexes names, codes and citations of a release and ranks candidates; ``extend``
answers data extension, property proposals and previews. May import the base modules.
"""
