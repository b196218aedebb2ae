"""`python -m scraper.cli`: the `newsarchive` command."""

from scraper.cli import cli

if __name__ == "__main__":
    cli()
