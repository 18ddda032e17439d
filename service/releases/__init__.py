"""Releases as citable, versioned data, without Flask: which releases are kept and what each holds
(``history``), what changed from one to the next (``changes``, RDF Patch), time travel over them
(``memento``, RFC 7089), pinned query permalinks (``permalinks``), and how to cite them
(``citation``); their DCAT description as a dataset series (``dcat``) and the change feed (``feed``)."""
