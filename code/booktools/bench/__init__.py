"""What `make bench` measures (``python -m booktools.bench``): speed, memory, model quality.

``report`` runs every measurement and prints one table (also bench/results.md);
``build_timing`` times the author loop, ``widget`` the in-page model in Chromium,
``page_audit`` (``python -m booktools.bench.page_audit``) what each built page weighs
and how it meets its readers.
"""
