"""The web layer: Flask blueprints (thin views over the core), templates and static assets.

``routes.register`` wires every blueprint and the one error handler into an app;
``conneg`` chooses formats and builds the negotiation headers. The only package that
imports Flask; it may import every core package, and nothing imports it but ``app``.
"""
