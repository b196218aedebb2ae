"""The builder of the offline site copies and the test fixtures (build.py), with its themes.

Part of the test rig, not of the product: the copies it writes to
scraper/offline/sites/ ship with the package (the demo serves them), the builder and
its templates do not. tests/sitebuild/README.md describes the data and the themes.
"""
