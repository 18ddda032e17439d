"""The build pipeline: sources -> importers -> named graphs -> SHACL gate -> one publication.

``build`` loads, checks and publishes (build, validate, import); ``validation`` runs the SHACL
gate and words its report. May import the base modules, stores, importers and namedqueries.
"""
