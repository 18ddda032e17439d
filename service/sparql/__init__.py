"""Running SPARQL from users safely.

``check`` refuses what can hurt the engine before it runs; ``executor`` runs queries in
isolated ``worker`` processes killed at the deadline (or inline for remote stores);
``results`` writes every result format with the row cap; ``description`` is the SPARQL 1.1
Service Description. May import the base modules and stores.
"""
