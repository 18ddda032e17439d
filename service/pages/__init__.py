"""What people see, as plain functions over a store: no Flask, no environment.

``describe`` gives the graph of one resource; ``labels`` picks labels along a language chain;
``listing`` and ``search`` browse by class, facet and text; ``present`` turns a graph into
rows, labels and safe links for the templates. May import the base modules.
"""
