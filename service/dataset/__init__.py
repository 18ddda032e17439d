"""The dataset as a whole: ``void`` (VoID + DCAT, dumps with checksums, sitemap, home figures)
and ``stats`` (counts per class and per graph). May import the base modules and stores.
"""
